// 大事记: instant filtering and reordering of the complete timeline (/timeline/, /timeline/newest/).
// The filter lives in the query string (?program=…&province=…) so a filtered view can be
// bookmarked, shared and walked with Back/Forward. Without this script every filter link opens
// its own page and the order links open the other page: nothing here is needed to read the site.
(function () {
  "use strict";
  var root = document.querySelector("[data-timeline][data-complete]");
  if (!root || !window.history || !window.URLSearchParams) return;

  var DIMENSIONS = ["program", "province", "town", "park", "org", "type"];
  var items = Array.prototype.slice.call(root.querySelectorAll(".timeline-item"));
  var filterLinks = Array.prototype.slice.call(document.querySelectorAll("a[data-filter]"));
  var orderLinks = Array.prototype.slice.call(document.querySelectorAll("a[data-order]"));
  var status = root.querySelector("[data-timeline-status]");

  function filtersFrom(search) {
    var params = new URLSearchParams(search);
    var filters = {};
    DIMENSIONS.forEach(function (key) {
      var value = params.get(key);
      if (value) filters[key] = value;
    });
    return filters;
  }

  function query(filters) {
    var params = new URLSearchParams();
    DIMENSIONS.forEach(function (key) {
      if (filters[key]) params.set(key, filters[key]);
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function matches(item, filters) {
    return Object.keys(filters).every(function (key) {
      return (item.getAttribute("data-" + key) || "").split(" ").indexOf(filters[key]) !== -1;
    });
  }

  function nameOf(key, value) {
    var link = filterLinks.filter(function (a) {
      return a.getAttribute("data-filter") === key && a.getAttribute("data-value") === value;
    })[0];
    return link ? link.getAttribute("data-name") : value;
  }

  function show(filters) {
    var count = 0;
    items.forEach(function (item) {
      item.hidden = !matches(item, filters);
      if (!item.hidden) count += 1;
    });
    // Month and year groups with nothing left disappear; a part says so when it is empty.
    Array.prototype.slice.call(root.querySelectorAll("[data-group]")).forEach(function (group) {
      group.hidden = !group.querySelector(".timeline-item:not([hidden])");
    });
    Array.prototype.slice.call(root.querySelectorAll("[data-part]")).forEach(function (part) {
      part.querySelector(".timeline-empty").hidden = !!part.querySelector(".timeline-item:not([hidden])");
    });
    Array.prototype.slice.call(document.querySelectorAll("[data-index-for]")).forEach(function (entry) {
      var target = document.getElementById(entry.getAttribute("data-index-for"));
      entry.hidden = !target || !target.querySelector(".timeline-item:not([hidden])");
    });
    filterLinks.forEach(function (a) {
      var key = a.getAttribute("data-filter");
      var active = key ? filters[key] === a.getAttribute("data-value") : !Object.keys(filters).length;
      if (active) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
      // On a phone each group is one sideways-scrolling row: bring the chosen value into view.
      var list = a.parentNode.parentNode;
      if (active && key && list.scrollWidth > list.clientWidth) list.scrollLeft = a.offsetLeft - list.offsetLeft;
    });
    var keys = Object.keys(filters);
    status.hidden = !keys.length;
    status.textContent = "";
    if (keys.length) {
      var names = keys.map(function (key) { return nameOf(key, filters[key]); }).join("、");
      status.appendChild(document.createTextNode("筛选：" + names + "，共 " + count + " 项活动。"));
      var clear = document.createElement("a");
      clear.href = location.pathname;
      clear.textContent = "清除筛选";
      clear.setAttribute("data-filter", "");
      clear.addEventListener("click", onFilter);
      status.appendChild(clear);
    }
  }

  // Newest first is the same page reversed: parts, years, months and items.
  function setOrder(order) {
    if (root.getAttribute("data-order") === order) return;
    var lists = root.querySelectorAll(".timeline-parts, .timeline-years, .timeline-months, .timeline-items");
    Array.prototype.slice.call(lists).concat(document.querySelector(".timeline-index ol") || []).forEach(function (list) {
      Array.prototype.slice.call(list.children).reverse().forEach(function (child) { list.appendChild(child); });
    });
    var upcoming = document.querySelector('[data-index-for="upcoming"]');
    if (upcoming) upcoming.parentNode.appendChild(upcoming);  // stays last: it is not a year
    root.setAttribute("data-order", order);
    document.title = root.getAttribute("data-title-" + order) || document.title;
    orderLinks.forEach(function (a) {
      if (a.getAttribute("data-order") === order) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  }

  function orderOf(path) {
    var match = orderLinks.filter(function (a) { return a.pathname === path; })[0];
    return match ? match.getAttribute("data-order") : root.getAttribute("data-order");
  }

  function plainClick(event) {
    return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
  }

  function onFilter(event) {
    if (!plainClick(event)) return;
    event.preventDefault();
    var a = event.currentTarget;
    var key = a.getAttribute("data-filter");
    var filters = key ? filtersFrom(location.search) : {};
    if (key && filters[key] === a.getAttribute("data-value")) delete filters[key];
    else if (key) filters[key] = a.getAttribute("data-value");
    history.pushState(null, "", location.pathname + query(filters));
    show(filters);
  }

  function onOrder(event) {
    if (!plainClick(event)) return;
    event.preventDefault();
    var a = event.currentTarget;
    history.pushState(null, "", a.pathname + location.search);
    setOrder(a.getAttribute("data-order"));
  }

  filterLinks.forEach(function (a) { a.addEventListener("click", onFilter); });
  orderLinks.forEach(function (a) { a.addEventListener("click", onOrder); });
  window.addEventListener("popstate", function () {
    setOrder(orderOf(location.pathname));
    show(filtersFrom(location.search));
  });
  show(filtersFrom(location.search));
})();
