// Filters (status, tag, search) and the screenshot viewer of the herstelpad report. Plain JavaScript.
(function () {
  "use strict";
  const status = document.getElementById("filter-status");
  const tag = document.getElementById("filter-tag");
  const search = document.getElementById("filter-search");
  const count = document.getElementById("filter-count");
  const empty = document.getElementById("filter-empty");
  const scenarios = Array.from(document.querySelectorAll("#functionaliteiten .scenario"));
  const features = Array.from(document.querySelectorAll("#functionaliteiten .feature"));

  function apply() {
    const wantStatus = status.value;
    const wantTag = tag.value;
    const terms = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const scenario of scenarios) {
      const tags = scenario.dataset.tags.split(" ");
      const text = scenario.dataset.search;
      const visible = (!wantStatus || scenario.dataset.status === wantStatus)
        && (!wantTag || tags.includes(wantTag))
        && terms.every((term) => text.includes(term));
      scenario.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const feature of features) {
      feature.hidden = !feature.querySelector(".scenario:not([hidden])");
    }
    count.textContent = shown + " van " + scenarios.length + " scenario's";
    if (empty) empty.hidden = shown > 0 || scenarios.length === 0;
    const params = new URLSearchParams();
    if (wantStatus) params.set("status", wantStatus);
    if (wantTag) params.set("tag", wantTag);
    if (search.value.trim()) params.set("zoek", search.value.trim());
    const query = params.toString();
    try {
      history.replaceState(null, "", (query ? "?" + query : location.pathname) + location.hash);
    } catch (error) { /* some browsers refuse this on file:// pages; the filters still work */ }
  }

  function goToFilters() {
    document.getElementById("filters").scrollIntoView({ behavior: "smooth", block: "start" });
  }

  const params = new URLSearchParams(location.search);
  status.value = params.get("status") || "";
  tag.value = params.get("tag") || "";
  search.value = params.get("zoek") || "";
  status.addEventListener("change", apply);
  tag.addEventListener("change", apply);
  search.addEventListener("input", apply);
  document.getElementById("filter-reset").addEventListener("click", () => {
    status.value = ""; tag.value = ""; search.value = ""; apply();
  });
  document.addEventListener("click", (event) => {
    const setStatus = event.target.closest("[data-set-status]");
    const setTag = event.target.closest("[data-set-tag]");
    if (setStatus) { status.value = setStatus.dataset.setStatus; apply(); goToFilters(); }
    if (setTag) { tag.value = setTag.dataset.setTag; apply(); goToFilters(); }
  });

  const box = document.getElementById("lightbox");
  const boxImage = box.querySelector("img");
  const boxCaption = box.querySelector(".caption");
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.shot");
    if (!link || typeof box.showModal !== "function") return;
    event.preventDefault();
    boxImage.src = link.getAttribute("href");
    boxImage.alt = link.querySelector("img").alt;
    boxCaption.textContent = link.dataset.caption || "";
    box.showModal();
  });
  box.addEventListener("click", (event) => { if (event.target === box || event.target === boxImage) box.close(); });

  apply();
})();
