/* hull-test-util.h: helpers for self-tests: scan a target in-process with one plugin linked
 * into the test, look findings up, make temp trees, and find the shared public data. */
#pragma once

#include "hull-scanner.h"

G_BEGIN_DECLS

/* Scans @target (a file or directory; @type NULL for auto-detection, else "image",
 * "rootfs", "dockerfile" or "config") with @descriptor only. @config may be NULL or the text
 * of a --config key file. Fails the test on an error. (transfer full) */
HullReport *hull_test_scan(const HullPluginDescriptor *descriptor, const char *target, const char *type,
                           const char *config);
/* Writes @files (path, content, path, content, …, NULL) under a new temp dir and returns it.
 * Paths may contain '/'. (transfer full) */
gchar *hull_test_make_tree(const char *first_path, ...) G_GNUC_NULL_TERMINATED;
/* Removes a tree made by hull_test_make_tree(). */
void hull_test_remove_tree(const char *dir);
/* Number of findings with @rule_id (NULL: all). */
guint hull_test_count(HullReport *report, const char *rule_id);
/* The first finding with @rule_id, or NULL. (transfer none) */
const HullFinding *hull_test_find(HullReport *report, const char *rule_id);
/* ../shared/data/@relpath from the source tree, or NULL (and g_test_skip with a message)
 * when the shared data is absent. (transfer full) */
gchar *hull_test_shared_data(const char *relpath);
/* Path of a file beside the test's sources (G_TEST_SRCDIR). (transfer full) */
gchar *hull_test_src_path(const char *relpath);

G_END_DECLS
