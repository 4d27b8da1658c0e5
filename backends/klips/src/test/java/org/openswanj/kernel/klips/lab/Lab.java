package org.openswanj.kernel.klips.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Namespaces west/east joined by a veth pair, torn down on close; runs commands and lab nodes in them. */
final class Lab implements AutoCloseable {
  final String west;
  final String east;
  final String vethW;
  final String vethE;
  private final List<Node> nodes = new ArrayList<>();

  Lab() throws IOException, InterruptedException {
    String tag = Long.toString(ProcessHandle.current().pid() % 100000);
    west = "kw" + tag;
    east = "ke" + tag;
    vethW = "vw" + tag;
    vethE = "ve" + tag;
    run("ip", "netns", "add", west);
    run("ip", "netns", "add", east);
    run("ip", "link", "add", vethW, "netns", west, "type", "veth", "peer", "name", vethE, "netns", east);
    in(west, "ip", "addr", "add", "192.0.2.1/24", "dev", vethW);
    in(east, "ip", "addr", "add", "192.0.2.2/24", "dev", vethE);
    in(west, "ip", "addr", "add", "10.1.0.1/32", "dev", "lo");
    in(east, "ip", "addr", "add", "10.2.0.1/32", "dev", "lo");
    for (String ns : List.of(west, east)) {
      in(ns, "ip", "link", "set", "lo", "up");
    }
    in(west, "ip", "link", "set", vethW, "up");
    in(east, "ip", "link", "set", vethE, "up");
  }

  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  static int status(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  static String in(String ns, String... cmd) throws IOException, InterruptedException {
    String[] full = new String[cmd.length + 4];
    full[0] = "ip";
    full[1] = "netns";
    full[2] = "exec";
    full[3] = ns;
    System.arraycopy(cmd, 0, full, 4, cmd.length);
    return run(full);
  }

  Node node(boolean isWest, String mode) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder("ip", "netns", "exec", isWest ? west : east, java, "-cp", cp,
        KlipsLabNode.class.getName(), isWest ? "west" : "east", mode, isWest ? vethW : vethE)
        .redirectErrorStream(true).start();
    Node n = new Node(p);
    nodes.add(n);
    return n;
  }

  @Override
  public void close() throws Exception {
    for (Node n : nodes) {
      n.close();
    }
    status("ip", "netns", "del", west);
    status("ip", "netns", "del", east);
  }

  /** A running lab node: its stdout as a queue of lines. */
  static final class Node implements AutoCloseable {
    final Process process;
    final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final PrintWriter stdin;

    Node(Process p) {
      this.process = p;
      this.stdin = new PrintWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), true);
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null; ) {
            all.add(l);
            lines.add(l);
          }
        } catch (IOException e) {
          lines.add("EOF " + e.getMessage());
        }
      });
      t.setDaemon(true);
      t.start();
    }

    /** Waits for a line starting with {@code prefix}; fails with everything the node printed. */
    String await(String prefix) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < end) {
        String l = lines.poll(500, TimeUnit.MILLISECONDS);
        if (l != null && l.startsWith(prefix)) {
          return l;
        }
        if (l == null && !process.isAlive() && lines.isEmpty()) {
          break;
        }
      }
      throw new AssertionError("node never printed " + prefix + "; output: " + all);
    }

    List<String> stats() throws InterruptedException {
      lines.clear();
      stdin.println("stats");
      List<String> out = new ArrayList<>();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < end) {
        String l = lines.poll(500, TimeUnit.MILLISECONDS);
        if ("END".equals(l)) {
          return out;
        }
        if (l != null) {
          out.add(l);
        }
      }
      throw new AssertionError("no stats; output: " + all);
    }

    void send(String cmd) {
      stdin.println(cmd);
    }

    @Override
    public void close() throws InterruptedException {
      stdin.println("quit");
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
