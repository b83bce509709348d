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

  // The viewer: every screenshot of the page in order, previous/next (buttons, arrow keys), zoom (buttons, +/-, a
  // click on the picture), Esc closes (the dialog's own behaviour).
  const box = document.getElementById("lightbox");
  const boxImage = box.querySelector("img");
  const boxCaption = box.querySelector(".caption");
  const boxCount = box.querySelector(".count");
  const ZOOMS = [0, 1, 1.5, 2, 3];  // 0: fit the screen; else times the picture's own size
  let shots = [];
  let current = 0;
  let zoom = 0;

  function setZoom(level) {
    zoom = Math.max(0, Math.min(ZOOMS.length - 1, level));
    box.classList.toggle("zoomed", zoom > 0);
    boxImage.style.width = zoom > 0 && boxImage.naturalWidth ? (boxImage.naturalWidth * ZOOMS[zoom]) + "px" : "";
  }

  function show(index) {
    current = (index + shots.length) % shots.length;
    const link = shots[current];
    boxImage.src = link.getAttribute("href");
    boxImage.alt = link.querySelector("img").alt;
    boxCaption.textContent = link.dataset.caption || "";
    boxCount.textContent = (current + 1) + " / " + shots.length;
    setZoom(0);
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.shot");
    if (!link || typeof box.showModal !== "function") return;
    event.preventDefault();
    shots = Array.from(document.querySelectorAll("a.shot")).filter((a) => a.offsetParent !== null);
    show(Math.max(0, shots.indexOf(link)));
    box.showModal();
  });
  boxImage.addEventListener("load", () => setZoom(zoom));
  boxImage.addEventListener("click", () => setZoom(zoom > 0 ? 0 : 2));
  box.addEventListener("click", (event) => {
    const go = event.target.closest("[data-go]");
    const zoomBy = event.target.closest("[data-zoom]");
    if (go) show(current + Number(go.dataset.go));
    if (zoomBy) setZoom(zoom + Number(zoomBy.dataset.zoom));
    if (event.target === box) box.close();
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    if (event.key === "+" || event.key === "=") setZoom(zoom + 1);
    if (event.key === "-") setZoom(zoom - 1);
    if (event.key === "0") setZoom(0);
  });

  apply();
})();
