// The partner portal's upload: the chosen file's bytes go to PUT /portal/inbox/<name>, the same
// checked path as the partner API's uploads, with the session's CSRF token as a header.
"use strict";
(function () {
  const form = document.getElementById("upload");
  if (!form) return;
  const result = document.getElementById("upload-result");
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const file = document.getElementById("upload-file").files[0];
    if (!file) return;
    result.textContent = "Uploading " + file.name + "…";
    try {
      const answer = await fetch("/portal/inbox/" + encodeURIComponent(file.name), {
        method: "PUT",
        body: file,
        credentials: "same-origin",
        headers: { "X-CSRF-Token": form.dataset.csrf, "Content-Type": "application/octet-stream" },
      });
      const text = await answer.text();
      if (answer.ok) {
        result.textContent = "Received " + file.name + ". It is imported with the next cycle.";
        window.setTimeout(function () { window.location.reload(); }, 800);
      } else {
        // The answer is an HTML page; show its message as text, never as markup.
        const page = new DOMParser().parseFromString(text, "text/html");
        const message = page.querySelector(".problem");
        result.textContent = "Not received: " + (message ? message.textContent : answer.status);
      }
    } catch (error) {
      result.textContent = "Not received: " + error;
    }
  });
})();
