// Registration: show only the details for the kind of applicant chosen. Without JavaScript both groups stay visible,
// each saying when to fill it in, and the server reads only the chosen one.
(() => {
    const radios = [...document.querySelectorAll('input[name="Kind"]')];
    if (radios.length === 0) return;
    const sections = document.querySelectorAll("[data-kind]");
    document.querySelectorAll("[data-kind-hint]").forEach(hint => { hint.hidden = true; });
    const update = () => {
        const chosen = radios.find(r => r.checked)?.value;
        sections.forEach(section => { section.hidden = section.dataset.kind !== chosen; });
    };
    radios.forEach(r => r.addEventListener("change", update));
    update();
})();
