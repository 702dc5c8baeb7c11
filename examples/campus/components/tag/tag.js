// components/tag/tag.js — a small colored label, e.g. for news categories.
Component({
  properties: {
    text: {
      type: String,
      value: ''
    },
    // Color scheme; matches a news category (news, library, events, ...) or 'default'.
    tone: {
      type: String,
      value: 'default'
    }
  }
});
