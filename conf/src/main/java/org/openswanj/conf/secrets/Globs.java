package org.openswanj.conf.secrets;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.Glob;

/** sh(1)-style globbing of an absolute path, component by component, results sorted as glob(3). */
final class Globs {
  private Globs() {}

  static List<Path> expand(Path pattern) throws IOException {
    Path root = pattern.getRoot();
    List<Path> current = new ArrayList<>(List.of(root == null ? pattern.getFileSystem().getPath("") : root));
    for (Path part : pattern) {
      String name = part.toString();
      List<Path> next = new ArrayList<>();
      for (Path dir : current) {
        if (!Glob.hasMeta(name)) {
          Path p = dir.resolve(name);
          if (Files.exists(p)) {
            next.add(p);
          }
          continue;
        }
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
          for (Path child : ds) {
            if (Glob.matches(name, child.getFileName().toString())) {
              next.add(child);
            }
          }
        }
      }
      next.sort(null);
      current = next;
    }
    return current;
  }
}
