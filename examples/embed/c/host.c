/* A minimal C host for miniapp: open a mini program, launch it, apply each batch of frames
 * when the logic thread says they are ready, tap a button, go back, close.
 *
 * Build and run from the repository root, against the static library:
 *   cargo build -p miniapp-ffi --release
 *   gcc -std=c11 -Ibindings/include examples/embed/c/host.c target/release/libminiapp_ffi.a \
 *       -lpthread -ldl -lm -o campus-host
 *   ./campus-host examples/campus
 * or against the shared library (the rpath lets the program find it at run time):
 *   gcc -std=c11 -Ibindings/include examples/embed/c/host.c -Ltarget/release -lminiapp_ffi \
 *       -lpthread -Wl,-rpath,"$PWD/target/release" -o campus-host
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "miniapp.h"

/* "Frames ready" arrives on the app's logic thread; a UI app would post to its UI thread
 * there. This host just wakes its main thread. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t signalled = PTHREAD_COND_INITIALIZER;
static int frames_ready = 0;

static void on_event(void *user_data, uint64_t app, MiniappEvent event, const char *message) {
  (void)user_data;
  (void)app;
  switch (event) {
    case MINIAPP_EVENT_FRAMES_READY:
      pthread_mutex_lock(&lock);
      frames_ready = 1;
      pthread_cond_signal(&signalled);
      pthread_mutex_unlock(&lock);
      break;
    case MINIAPP_EVENT_LOG: /* console output and uncaught errors: "<level>: <text>" */
      printf("[app] %s\n", message);
      break;
    case MINIAPP_EVENT_COMMAND_FAILED:
      fprintf(stderr, "command failed: %s\n", message);
      break;
    case MINIAPP_EVENT_CLOSED:
      break;
  }
}

/* Waits up to 5 s for "frames ready", then pulls the frames and applies them. */
static int apply_frames(uint64_t app) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 5;
  pthread_mutex_lock(&lock);
  while (!frames_ready && pthread_cond_timedwait(&signalled, &lock, &until) == 0) {
  }
  int ready = frames_ready;
  frames_ready = 0;
  pthread_mutex_unlock(&lock);
  if (!ready) return -1;

  char *frames = NULL; /* a JSON array of frames: see docs/render-protocol.md */
  if (miniapp_app_take_frames(app, &frames) != MINIAPP_STATUS_OK) return -1;
  int ops = 0;
  for (const char *p = frames; (p = strstr(p, "\"op\":")) != NULL; p++) ops++;
  miniapp_string_free(frames);
  return ops; /* a real host creates, updates and moves its views here */
}

static int fail(const char *what) {
  char *error = miniapp_last_error();
  fprintf(stderr, "%s failed: %s\n", what, error ? error : "unknown error");
  miniapp_string_free(error);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <mini program directory>\n", argv[0]);
    return 2;
  }
  /* What this host grants the mini program: storage, UI (toasts, dialogs) and device facts. */
  const char *config =
      "{\"viewport\":{\"width\":375,\"height\":667,\"pixelRatio\":2},"
      "\"policy\":{\"grant\":[\"storage\",\"ui\",\"device\"]}}";
  uint64_t app = 0;
  if (miniapp_app_open(argv[1], config, on_event, NULL, &app) != MINIAPP_STATUS_OK)
    return fail("open");
  if (miniapp_app_launch(app, NULL, 1001) != MINIAPP_STATUS_OK) return fail("launch");
  printf("launched: %d ops\n", apply_frames(app));

  uint32_t node = 0;
  if (miniapp_app_select(app, "#refresh", &node) != MINIAPP_STATUS_OK) return fail("select");
  miniapp_app_tap(app, node);
  printf("tapped #refresh (node %u): %d ops\n", (unsigned)node, apply_frames(app));

  char *tree = NULL; /* the page as indented text, for logs and tests */
  if (miniapp_app_dump(app, &tree) != MINIAPP_STATUS_OK) return fail("dump");
  const char *count = strstr(tree, "\"Refreshed");
  if (count != NULL) printf("page says: %.*s\n", (int)strcspn(count + 1, "\""), count + 1);
  miniapp_string_free(tree);

  miniapp_app_close(app); /* returns at once; the logic thread stops */
  miniapp_app_wait_closed(app, 5000);
  miniapp_app_free(app);
  return 0;
}
