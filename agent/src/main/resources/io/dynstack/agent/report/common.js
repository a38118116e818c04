"use strict";
// Shared by the report and comparison pages; everything is drawn from the JSON embedded in the page.
const SVG = "http://www.w3.org/2000/svg";

window.addEventListener("error", (e) => {
  document.body.dataset.rendered = "error";
  const box = document.getElementById("errors");
  box.hidden = false;
  box.textContent += "script error: " + e.message + "\n";
});

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

/** A value as the page prints it: the JSON's own figure, never rounded, so that the page reads as the file. */
function show(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** A table of objects, one column per key (the union of keys, in order of first appearance); click a header to sort. */
function sortableTable(id, rows, columns) {
  const table = el("table", {id: id, class: "sortable"});
  const head = el("tr");
  columns.forEach((col, i) => {
    const th = el("th", {"data-column": col, text: col, title: "sort by " + col});
    th.addEventListener("click", () => sortBy(table, i));
    head.append(th);
  });
  table.append(el("thead", {}, head));
  const body = el("tbody");
  for (const row of rows) {
    const tr = el("tr");
    for (const col of columns) {
      const v = row[col];
      const td = el("td", {"data-column": col, text: show(v)});
      if (typeof v === "number") {
        td.className = "num";
        td.dataset.sort = v;
      }
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  return table;
}

function sortBy(table, index) {
  const th = table.tHead.rows[0].cells[index];
  const descending = th.dataset.order !== "descending";
  for (const other of table.tHead.rows[0].cells) delete other.dataset.order;
  th.dataset.order = descending ? "descending" : "ascending";
  const rows = Array.from(table.tBodies[0].rows);
  const key = (r) => {
    const c = r.cells[index];
    return c.dataset.sort !== undefined ? Number(c.dataset.sort) : c.textContent;
  };
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return descending ? -order : order;
  });
  for (const r of rows) table.tBodies[0].append(r);
}

function columnsOf(rows) {
  const columns = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k);
  return columns;
}

function kib(bytes) {
  return (bytes / 1024).toLocaleString("en", {maximumFractionDigits: 1}) + " KiB";
}
