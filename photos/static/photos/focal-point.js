/* Click the lead image preview in the article admin to set its focal point: the two fields
   take the click's position as fractions of the width (from the left) and height (from the
   top); the marker follows. Saving the article makes the new card crops. */
document.addEventListener("click", (event) => {
  const picture = event.target.closest("[data-focal-preview]")
  if (!picture) return
  const box = picture.querySelector("img").getBoundingClientRect()
  const x = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1)
  const y = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1)
  document.getElementById("id_lead_image_focal_x").value = x.toFixed(2)
  document.getElementById("id_lead_image_focal_y").value = y.toFixed(2)
  const marker = picture.querySelector("[data-focal-marker]")
  marker.style.left = `${(x * 100).toFixed(0)}%`
  marker.style.top = `${(y * 100).toFixed(0)}%`
})
