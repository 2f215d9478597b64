// Progressive enhancement only: every page works without this file.
// An error summary takes focus on load so keyboard and screen-reader users hear what to fix (UX.md §2.4).
document.querySelector("[data-autofocus]")?.focus();

// Upload progress (UX.md §2.5): the same form post, sent by XHR so the bar can move; the server answers with the
// page to show next. Without this script the form posts normally.
document.querySelectorAll("form[data-upload]").forEach(form => {
    const bar = form.querySelector(".upload-progress");
    const status = form.querySelector("[data-upload-status]");
    form.addEventListener("submit", event => {
        const input = form.querySelector("input[type=file]");
        if (!input || input.files.length === 0 || !window.FormData) return;
        event.preventDefault();
        const xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.setRequestHeader("X-Portal-Upload", "1");
        bar.hidden = false;
        xhr.upload.addEventListener("progress", e => {
            if (!e.lengthComputable) return;
            const percent = Math.round(e.loaded / e.total * 100);
            bar.value = percent;
            status.textContent = "Đang tải lên: " + percent + "%";
        });
        xhr.addEventListener("load", () => {
            try { window.location.assign(JSON.parse(xhr.responseText).redirect); }
            catch { window.location.reload(); }
        });
        xhr.addEventListener("error", () => { status.textContent = "Mất kết nối khi tải lên. Các tệp đã tải trước đó vẫn được giữ; hãy thử lại."; bar.hidden = true; });
        form.querySelector("button[type=submit]").disabled = true;
        xhr.send(new FormData(form));
    });
});

// A second click on "Gửi hồ sơ" while the first is on its way does nothing (the server is idempotent anyway).
document.querySelectorAll("[data-prevent-double-click]").forEach(button => {
    button.form?.addEventListener("submit", () => setTimeout(() => { button.disabled = true; }, 0));
});

// Session timeout warning (UX.md §2.8, WCAG 2.2.1): two minutes before the citizen's session ends, a dialog offers
// to extend it with one action. Every step is already saved, so expiry loses at most the field being typed.
(() => {
    const dialog = document.getElementById("timeout-dialog");
    if (!dialog) return;
    const seconds = Number(dialog.dataset.seconds);
    const warnAt = Math.max(seconds - 120, 20) * 1000;
    const opener = () => document.activeElement;
    let timer, returnFocus;
    const schedule = () => { clearTimeout(timer); timer = setTimeout(show, warnAt); };
    function show() {
        returnFocus = opener();
        dialog.hidden = false;
        dialog.querySelector("[data-extend]").focus();
    }
    dialog.querySelector("[data-extend]").addEventListener("click", async () => {
        await fetch(dialog.dataset.extendUrl, { credentials: "same-origin", cache: "no-store" });
        dialog.hidden = true;
        returnFocus?.focus();
        schedule();
    });
    dialog.addEventListener("keydown", e => {
        if (e.key === "Tab") {
            const items = [...dialog.querySelectorAll("button, a")];
            const i = items.indexOf(document.activeElement);
            if (e.shiftKey && i <= 0) { e.preventDefault(); items[items.length - 1].focus(); }
            else if (!e.shiftKey && i === items.length - 1) { e.preventDefault(); items[0].focus(); }
        }
    });
    schedule();
})();
