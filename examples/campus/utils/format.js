// utils/format.js — small formatting helpers for the logic layer.
// Uses the `exports.name = ...` CommonJS style (utils/data.js uses `module.exports`).

function pad2(n) {
  return n < 10 ? '0' + n : String(n);
}

exports.pad2 = pad2;

// 480 -> '08:00'
exports.minutesToClock = function (minutes) {
  return pad2(Math.floor(minutes / 60)) + ':' + pad2(minutes % 60);
};

// 'library' -> 'Library'
exports.capitalize = function (str) {
  if (!str) return '';
  return str.charAt(0).toUpperCase() + str.slice(1);
};

// Rough reading time: ~200 English words per minute, at least one minute.
exports.readingMinutes = function (text) {
  const words = String(text || '').split(/\s+/).filter(Boolean).length;
  return Math.max(1, Math.round(words / 200));
};

// Splits a body text into keyed paragraphs for wx:for rendering.
exports.paragraphs = function (text) {
  return String(text || '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line, index) => ({ key: index, text: line }));
};
