// WCAG 1.4.10 (reflow) and 2.1.1 (keyboard): a table wider than the screen scrolls inside its own box,
// never the whole page; while it scrolls, the box is a named region that takes keyboard focus, so
// the arrow keys scroll it. At desktop widths nothing scrolls and the box adds no tab stop.
const main = document.querySelector('main')
const headings = main ? [...main.querySelectorAll('h1, h2, h3, h4')] : []

function nameOf (table) {
  const caption = table.querySelector('caption')
  if (caption && caption.textContent.trim()) return caption.textContent.trim()
  // Without a caption, the table is named by the heading above it.
  const above = headings.filter(h => h.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING)
  return above.length ? above[above.length - 1].textContent.trim() : 'Table'
}

function fit (box, name) {
  if (box.scrollWidth > box.clientWidth + 1) {
    box.tabIndex = 0
    box.setAttribute('role', 'region')
    box.setAttribute('aria-label', name + ' (scrolls sideways)')
  } else {
    box.removeAttribute('tabindex')
    box.removeAttribute('role')
    box.removeAttribute('aria-label')
  }
}

if (main) {
  const named = new Map()
  for (const table of main.querySelectorAll('table')) {
    let box = table.parentElement
    if (!box.classList.contains('oms-table-scroll')) {
      box = document.createElement('div')
      box.className = 'oms-table-scroll'
      table.before(box)
      box.append(table)
    }
    named.set(box, nameOf(table))
  }
  const observer = new ResizeObserver(entries => entries.forEach(entry => fit(entry.target, named.get(entry.target))))
  named.forEach((name, box) => observer.observe(box))
}
