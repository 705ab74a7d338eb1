// Progressive enhancement only: every page works without this script.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
import("/vendor/govuk/govuk-frontend.min.js").then(({ initAll }) => initAll());
