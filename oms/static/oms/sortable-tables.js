// MoJ Frontend's sortable table on the lists shown whole on one page (a paginated list is sorted by
// the server instead, or only its first page would be put in order). MoJ Frontend 3 needs jQuery:
// both are loaded from this service, and only on a page that has such a table.
const tables = document.querySelectorAll('[data-module="moj-sortable-table"]')

function load (src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = src
    script.onload = resolve
    script.onerror = reject
    document.body.append(script)
  })
}

if (tables.length) {
  load('/static/vendor/jquery.min.js')
    .then(() => load('/static/vendor/moj-frontend.min.js'))
    .then(() => tables.forEach(table => new window.MOJFrontend.SortableTable({ table })))
}
