/* Drives examples/campus through the C ABI, and checks that misuse gives status codes.
 * Built and run by bindings/tests/c_abi.rs (also under valgrind when available). */
#define _POSIX_C_SOURCE 199309L /* nanosleep */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "miniapp.h"

static int failures = 0;
#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      char *e = miniapp_last_error();                                      \
      fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n",        \
              __FILE__, __LINE__, #cond, e ? e : "none");                  \
      miniapp_string_free(e);                                              \
      failures++;                                                          \
    }                                                                      \
  } while (0)

static atomic_int frames_ready = 0;
static atomic_int closed_events = 0;
static atomic_int log_events = 0;

/* Host calls seen, "api args;" each. Written on the logic thread, read after a sync point. */
static char host_calls[8192];

static void on_host(void *user_data, uint64_t app, uint64_t call_id, const char *api, const char *args) {
  (void)user_data;
  strncat(host_calls, api, sizeof host_calls - strlen(host_calls) - 1);
  strncat(host_calls, " ", sizeof host_calls - strlen(host_calls) - 1);
  strncat(host_calls, args, sizeof host_calls - strlen(host_calls) - 1);
  strncat(host_calls, ";", sizeof host_calls - strlen(host_calls) - 1);
  if (strcmp(api, "getNetworkType") == 0)
    miniapp_host_reply(app, call_id, true, "{\"networkType\":\"ethernet\"}");
  else if (strcmp(api, "showToast") == 0)
    miniapp_host_reply(app, call_id, true, NULL);
  else
    miniapp_host_reply(app, call_id, false, "not available on this host");
}

/* Console lines of the app, "line\n" each. Written on the logic thread, read after a sync point. */
static char logs[16384];

static void on_event(void *user_data, uint64_t app, MiniappEvent event, const char *message) {
  (void)app;
  atomic_int *counter = user_data;
  if (event == MINIAPP_EVENT_FRAMES_READY) atomic_fetch_add(counter, 1);
  if (event == MINIAPP_EVENT_CLOSED) atomic_fetch_add(&closed_events, 1);
  if (event == MINIAPP_EVENT_LOG && message != NULL) {
    atomic_fetch_add(&log_events, 1);
    strncat(logs, message, sizeof logs - strlen(logs) - 1);
    strncat(logs, "\n", sizeof logs - strlen(logs) - 1);
  }
}

/* The host's "fonts": every byte 10 px wide, one line. */
static bool measure_wide(void *user_data, const char *text, const MiniappFont *font, float max_width,
                         MiniappTextMetrics *out) {
  (void)user_data;
  (void)max_width;
  out->width = 10.0f * (float)strlen(text);
  out->height = font->line_height;
  out->baseline = font->size;
  out->lines = 1;
  return true;
}

/* A measurer that cannot measure: the core falls back to its formula. */
static bool measure_refuses(void *user_data, const char *text, const MiniappFont *font, float max_width,
                            MiniappTextMetrics *out) {
  (void)user_data;
  (void)text;
  (void)font;
  (void)max_width;
  (void)out;
  return false;
}

static void wait_for(atomic_int *counter, int at_least) {
  struct timespec ms = {0, 1000000};
  for (int i = 0; i < 10000 && atomic_load(counter) < at_least; i++) nanosleep(&ms, NULL);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: app_test <campus dir> <host events app dir>\n");
    return 2;
  }
  uint64_t app = 0;
  uint32_t node = 0;
  char *text = NULL;

  /* Misuse: every case is a status code, never a crash. */
  CHECK(miniapp_app_tap(424242, 1) == MINIAPP_STATUS_NO_SUCH_APP);
  CHECK(miniapp_app_open(NULL, NULL, NULL, NULL, &app) == MINIAPP_STATUS_NULL_ARGUMENT);
  CHECK(miniapp_app_open(argv[1], NULL, NULL, NULL, NULL) == MINIAPP_STATUS_NULL_ARGUMENT);
  const char bad_utf8[] = {(char)0xff, (char)0xfe, 0};
  CHECK(miniapp_app_open(bad_utf8, NULL, NULL, NULL, &app) == MINIAPP_STATUS_INVALID_UTF8);
  CHECK(miniapp_app_open(argv[1], "{not json", NULL, NULL, &app) == MINIAPP_STATUS_INVALID_JSON);
  text = miniapp_last_error();
  CHECK(text != NULL && strstr(text, "JSON") != NULL);
  miniapp_string_free(text);
  CHECK(miniapp_app_open("/definitely/not/here", NULL, NULL, NULL, &app) == MINIAPP_STATUS_INVALID_PACKAGE);
  miniapp_string_free(NULL);

  /* A real run. */
  /* The host grants storage, UI and device information, but not the clipboard. */
  CHECK(miniapp_app_open_with_host(
            argv[1],
            "{\"clock\":\"virtual\",\"viewport\":{\"width\":414,\"height\":736},"
            "\"policy\":{\"grant\":[\"storage\",\"ui\",\"device\"]}}",
            on_event, on_host, &frames_ready, &app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_launch(app, NULL, 1001) == MINIAPP_STATUS_OK);
  wait_for(&frames_ready, 1);
  CHECK(atomic_load(&frames_ready) >= 1);
  CHECK(miniapp_app_take_frames(app, &text) == MINIAPP_STATUS_OK);
  CHECK(text != NULL && strstr(text, "\"op\":\"create\"") != NULL && strstr(text, "pages/index/index") != NULL);
  miniapp_string_free(text);

  /* A host request answered from C, console output as log events. */
  CHECK(miniapp_app_dump(app, &text) == MINIAPP_STATUS_OK);
  CHECK(text != NULL && strstr(text, "Network: ethernet") != NULL);
  miniapp_string_free(text);
  CHECK(atomic_load(&log_events) > 0);
  CHECK(miniapp_host_reply(app, 999999, true, NULL) == MINIAPP_STATUS_NOT_FOUND);
  CHECK(miniapp_host_event(app, 999999, "message", NULL) == MINIAPP_STATUS_NOT_FOUND);

  /* Starring shows a toast through the host; copying a link is denied before the host. */
  CHECK(miniapp_app_select(app, "#star-2", &node) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_act(app, node, "{\"action\":\"fly\"}") == MINIAPP_STATUS_INVALID_JSON);
  CHECK(miniapp_app_tap(app, node) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_select(app, "#item-3", &node) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_tap(app, node) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_select(app, "#copy-link", &node) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_tap(app, node) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_dump(app, &text) == MINIAPP_STATUS_OK);
  CHECK(text != NULL && strstr(text, "Copy failed: setClipboardData:fail no permission") != NULL);
  miniapp_string_free(text);
  CHECK(strstr(host_calls, "showToast {\"title\":\"Starred\"") != NULL);
  CHECK(strstr(host_calls, "setClipboardData") == NULL);
  CHECK(miniapp_app_back(app) == MINIAPP_STATUS_OK);

  CHECK(miniapp_app_select(app, "#refresh", &node) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_tap(app, node) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_dump(app, &text) == MINIAPP_STATUS_OK);
  CHECK(text != NULL && strstr(text, "Refreshed 1 time") != NULL);
  miniapp_string_free(text);

  CHECK(miniapp_app_select(app, "#no-such-element", &node) == MINIAPP_STATUS_NOT_FOUND);
  CHECK(miniapp_app_select(app, "..bad", &node) == MINIAPP_STATUS_FAILED);
  CHECK(miniapp_app_dispatch(app, node, "tap", "{bad json") == MINIAPP_STATUS_INVALID_JSON);
  CHECK(miniapp_app_dispatch(app, node, NULL, NULL) == MINIAPP_STATUS_NULL_ARGUMENT);
  CHECK(miniapp_app_take_frames(app, NULL) == MINIAPP_STATUS_NULL_ARGUMENT);

  /* Routing through the host's back button and tab bar. */
  CHECK(miniapp_app_select(app, "#item-3", &node) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_tap(app, node) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_back(app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_tap_tab(app, 1) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_dump(app, &text) == MINIAPP_STATUS_OK);
  CHECK(text != NULL && strstr(text, "route=\"pages/schedule/schedule\"") != NULL);
  miniapp_string_free(text);

  /* Close never blocks; afterwards the handle reports CLOSED, then NO_SUCH_APP once freed. */
  CHECK(miniapp_app_close(app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_wait_closed(app, 5000) == MINIAPP_STATUS_OK);
  CHECK(atomic_load(&closed_events) == 1);
  CHECK(miniapp_app_tap(app, 1) == MINIAPP_STATUS_CLOSED);
  CHECK(miniapp_app_free(app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_tap(app, 1) == MINIAPP_STATUS_NO_SUCH_APP);
  CHECK(miniapp_app_free(app) == MINIAPP_STATUS_NO_SUCH_APP);

  /* Text measured by the host: its metrics lay text out; a refusal falls back to the formula. */
  CHECK(miniapp_app_open_with_measurer(argv[1], "{\"clock\":\"virtual\"}", NULL, NULL, measure_wide, NULL,
                                       &app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_send(app, "{\"type\":\"launch\"}") == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_dump(app, &text) == MINIAPP_STATUS_OK);
  CHECK(text != NULL && strstr(text, "\"Refreshed 0 times\" [x=0 y=0 w=170 ") != NULL);
  miniapp_string_free(text);
  CHECK(miniapp_app_close(app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_wait_closed(app, 5000) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_free(app) == MINIAPP_STATUS_OK);
  /* The same app with no measurer, then with one that refuses: the same layout. */
  char *expected = NULL;
  CHECK(miniapp_app_open_with_measurer(argv[1], "{\"clock\":\"virtual\"}", NULL, NULL, NULL, NULL, &app) ==
        MINIAPP_STATUS_OK);
  CHECK(miniapp_app_send(app, "{\"type\":\"launch\"}") == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_dump(app, &expected) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_close(app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_free(app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_open_with_measurer(argv[1], "{\"clock\":\"virtual\"}", NULL, NULL, measure_refuses, NULL,
                                       &app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_send(app, "{\"type\":\"launch\"}") == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_dump(app, &text) == MINIAPP_STATUS_OK);
  CHECK(text != NULL && expected != NULL && strcmp(text, expected) == 0);
  miniapp_string_free(text);
  miniapp_string_free(expected);
  CHECK(miniapp_app_close(app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_wait_closed(app, 5000) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_free(app) == MINIAPP_STATUS_OK);

  /* Every host event kind as JSON, on an app that logs what each reaches. */
  CHECK(miniapp_app_open(argv[2],
                         "{\"clock\":\"virtual\",\"policy\":{\"grant\":[\"storage\",\"ui\",\"device\",\"network\"]}}",
                         on_event, &frames_ready, &app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_send(app, "{\"type\":\"launch\"}") == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_send(app, "{\"type\":\"fly\"}") == MINIAPP_STATUS_INVALID_JSON);
  text = miniapp_last_error();
  CHECK(text != NULL && strstr(text, "unknown variant `fly`") != NULL);
  miniapp_string_free(text);
  CHECK(miniapp_app_send(app, NULL) == MINIAPP_STATUS_NULL_ARGUMENT);
  const char *events[] = {
      "{\"type\":\"pageScroll\",\"scrollTop\":300,\"scrollHeight\":1000}",
      "{\"type\":\"reachBottom\"}",
      "{\"type\":\"pullDown\"}",
      "{\"type\":\"resize\",\"width\":667,\"height\":375,\"safeArea\":{\"left\":44,\"right\":44}}",
      "{\"type\":\"networkChange\",\"connected\":false,\"networkType\":\"none\"}",
      "{\"type\":\"themeChange\",\"theme\":\"dark\"}",
      "{\"type\":\"keyboardHeight\",\"height\":260}",
      "{\"type\":\"memoryWarning\",\"level\":10}",
      "{\"type\":\"update\",\"state\":\"ready\"}",
      "{\"type\":\"dispatch\",\"node\":3,\"event\":\"longpress\"}",
      "{\"type\":\"act\",\"node\":5,\"action\":{\"action\":\"type\",\"text\":\"Ann\"}}",
      "{\"type\":\"tap\",\"node\":3}",
      "{\"type\":\"advance\",\"ms\":100}",
      "{\"type\":\"hide\"}",
      "{\"type\":\"show\",\"scene\":1011}",
      "{\"type\":\"tabTap\",\"index\":1}",
      "{\"type\":\"back\"}",
  };
  for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
    CHECK(miniapp_app_send(app, events[i]) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_request(app, "{\"type\":\"tabTap\",\"index\":0}", &text) == MINIAPP_STATUS_OK);
  CHECK(text != NULL && strcmp(text, "{\"handled\":true,\"result\":null}") == 0);
  miniapp_string_free(text);
  CHECK(miniapp_app_request(app, "{\"type\":\"share\"}", &text) == MINIAPP_STATUS_OK);
  CHECK(text != NULL && strstr(text, "\"title\":\"Share menu\"") != NULL);
  miniapp_string_free(text);
  CHECK(miniapp_app_dump(app, &text) == MINIAPP_STATUS_OK); /* a sync point: the log is complete */
  CHECK(text != NULL && strstr(text, "w=667") != NULL); /* relaid out at the new width */
  miniapp_string_free(text);
  const char *heard[] = {
      "log: onPageScroll 300", "log: onReachBottom", "log: onPullDownRefresh",
      "log: onResize {\"windowWidth\":667", "\"left\":44,\"right\":623",
      "log: wx.onNetworkStatusChange {\"isConnected\":false", "log: App.onThemeChange dark",
      "log: wx.onKeyboardHeightChange {\"height\":260}", "log: wx.onMemoryWarning {\"level\":10}",
      "log: UpdateManager.onUpdateReady",
      "log: longpress", "log: input Ann", "log: App.onHide", "log: App.onShow 1011", "log: other onShow",
  };
  for (size_t i = 0; i < sizeof heard / sizeof heard[0]; i++) {
    if (strstr(logs, heard[i]) == NULL) {
      fprintf(stderr, "host events: the app never logged `%s`; it logged:\n%s", heard[i], logs);
      failures++;
    }
  }
  CHECK(miniapp_app_close(app) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_wait_closed(app, 5000) == MINIAPP_STATUS_OK);
  CHECK(miniapp_app_free(app) == MINIAPP_STATUS_OK);

  if (failures) {
    fprintf(stderr, "c abi: %d check(s) failed\n", failures);
    return 1;
  }
  printf("c abi: all checks passed\n");
  return 0;
}
