package org.openswanj.conf.secrets;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/** sh(1)-style globbing of an absolute path, component by component, results sorted as glob(3). */
final class Globs {
  private Globs() {}

  static boolean hasMeta(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  static List<Path> expand(Path pattern) throws IOException {
    Path root = pattern.getRoot();
    List<Path> current = new ArrayList<>(List.of(root == null ? Path.of("") : root));
    for (Path part : pattern) {
      String name = part.toString();
      List<Path> next = new ArrayList<>();
      for (Path dir : current) {
        if (!hasMeta(name)) {
          Path p = dir.resolve(name);
          if (Files.exists(p)) {
            next.add(p);
          }
          continue;
        }
        if (!Files.isDirectory(dir)) {
          continue;
        }
        PathMatcher m;
        try {
          m = FileSystems.getDefault().getPathMatcher("glob:" + name);
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new IOException("bad pattern \"" + name + "\": " + e.getDescription());
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
          for (Path child : ds) {
            String fn = child.getFileName().toString();
            if (m.matches(child.getFileName()) && (!fn.startsWith(".") || name.startsWith("."))) {
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
