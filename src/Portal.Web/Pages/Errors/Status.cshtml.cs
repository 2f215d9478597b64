using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Web.Pages.Errors;

// Re-executed by the status-code and exception middleware; reached directly it shows the page for that code.
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public int Status { get; private set; }
    public string Reference => HttpContext.TraceIdentifier;

    public string Title => Status switch
    {
        404 => "Không tìm thấy trang",
        403 => "Không có quyền truy cập",
        400 => "Yêu cầu không hợp lệ",
        429 => "Quá nhiều yêu cầu",
        503 => "Dịch vụ tạm ngừng",
        _ => "Có lỗi xảy ra",
    };

    public IActionResult OnGet(int status) => Show(status);
    public IActionResult OnPost(int status) => Show(status);

    IActionResult Show(int status)
    {
        Status = status is >= 400 and <= 599 ? status : 404;
        if (PortalServices.IsOutage(HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error)) Status = 503;
        Response.StatusCode = Status;
        return Page();
    }
}
