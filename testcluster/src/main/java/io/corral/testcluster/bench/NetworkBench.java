package io.corral.testcluster.bench;

import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import io.corral.worker.exec.docker.DockerClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral-bench network}: between a client task and a server task on another node of an
 * overlay network, the latency and rate of HTTP requests by task address, by VIP and by service
 * name, the latency of DNS queries, and the time from a new task's RUNNING to its being in DNS and
 * behind the VIP on every node; on Corral (process executor, testcluster of 3 managers + 2 workers)
 * and on Docker Swarm on the local engine, whose VIP fails on this kernel (no IPVS): the table says
 * so rather than leaving the row out. Needs root.
 */
@Command(
    name = "network",
    description =
        "Time requests by address, VIP and name, DNS queries, and how soon a new task is in DNS "
            + "and behind the VIP, on Corral and on Docker Swarm (needs root).")
final class NetworkBench implements java.util.concurrent.Callable<Integer> {

  private static final Duration SETUP = Duration.ofMinutes(3);
  private static final Duration PROBE = Duration.ofMinutes(5);
  private static final Duration WATCH = Duration.ofSeconds(30);

  /** Requests of the trial that decides whether a kind works at all before the timed run. */
  private static final int TRIAL = 30;

  private static final int WARMUP = 200;

  @Option(
      names = "--requests",
      defaultValue = "1000",
      description = "timed HTTP requests of each kind per round (default: ${DEFAULT-VALUE})")
  int requests;

  @Option(
      names = "--queries",
      defaultValue = "1000",
      description = "timed DNS queries per round (default: ${DEFAULT-VALUE})")
  int queries;

  @Option(
      names = "--rounds",
      defaultValue = "1",
      description =
          "rounds; latencies are pooled over them, each round adds one new task (default: "
              + "${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--no-swarm", description = "do not measure Docker Swarm")
  boolean noSwarm;

  @Option(names = "--no-corral", description = "do not measure Corral (e.g. to see Swarm alone)")
  boolean noCorral;

  @Override
  public Integer call() {
    if (requests < TRIAL || queries < 1 || rounds < 1) {
      System.err.println(
          "corral-bench network: --requests must be "
              + TRIAL
              + " or more, --queries and --rounds 1 or more");
      return 2;
    }
    System.out.printf(
        "corral-bench network: %d requests of each kind and %d DNS queries per round, %d round(s); "
            + "%d cores, Java %s%n",
        requests,
        queries,
        rounds,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    System.out.println(
        "client: a JVM (NetProbe) in the client task's network namespace; each request is a new TCP"
            + " connection (connect, HTTP/1.0 GET, read to EOF), so that every one passes a VIP's"
            + " DNAT, after "
            + WARMUP
            + " warm-up requests; a request by name adds the probe's own A query (no cache)."
            + " Server: busybox httpd, which forks per connection: that fork is most of the"
            + " absolute latency and is the same in every row.");
    List<NetFigures> all = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (!noCorral) {
      NetFigures f = new NetFigures("corral (process executor)");
      try (CorralNetTarget t = CorralNetTarget.start(probeJvm(), SETUP)) {
        notes.add(t.name() + ": " + t.layout());
        measure(t, f);
      } catch (RuntimeException e) {
        f.stoppedBecause = e.toString();
      }
      all.add(f);
    }
    if (!noSwarm) {
      all.add(swarm(notes));
    }
    System.out.println();
    System.out.println("== corral-bench network: " + rounds + " round(s), latencies pooled ==");
    notes.forEach(System.out::println);
    System.out.print(NetworkTable.render(all));
    for (NetFigures f : all) {
      if (!f.stoppedBecause.isEmpty()) {
        System.out.println(f.system + " stopped: " + f.stoppedBecause);
      }
      f.notes.forEach(n -> System.out.println(f.system + ": " + n));
    }
    return 0;
  }

  private NetFigures swarm(List<String> notes) {
    NetFigures f = new NetFigures("docker swarm");
    try (DockerClient engine = DockerClient.local();
        LocalSwarm local = LocalSwarm.prepare(engine, SwarmNetTarget.IMAGE)) {
      Optional<SwarmTarget> found = local.target(engine, List.of(SwarmNetTarget.IMAGE));
      if (found.isEmpty()) {
        f.stoppedBecause = "unavailable (" + local.unavailableReason() + ")";
        return f;
      }
      try (SwarmNetTarget t =
          SwarmNetTarget.start("docker", found.get().name(), probeJvm(), SETUP)) {
        notes.add(t.name() + ": " + t.layout() + "; " + local.setup());
        measure(t, f);
      }
    } catch (RuntimeException e) {
      f.stoppedBecause = e.toString();
    }
    return f;
  }

  /** {@code java … NetProbe}, from this JVM's own java and class path (the bench jar). */
  static List<String> probeJvm() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC",
        "-Xmx64m",
        "-Djava.net.preferIPv4Stack=true",
        "-cp",
        System.getProperty("java.class.path"),
        NetProbe.class.getName());
  }

  private void measure(NetworkTarget t, NetFigures f) {
    for (int round = 1; round <= rounds; round++) {
      System.out.printf("%s: round %d of %d%n", t.name(), round, rounds);
      NetworkTarget.Client c = t.clients().get(0);
      String server = t.running(t.vipService()).get(0).address();
      Optional<String> vip = t.vip(t.vipService());
      http(c, f.requests(NetFigures.Kind.ADDRESS), "http://" + server + "/", List.of());
      if (vip.isPresent()) {
        http(c, f.requests(NetFigures.Kind.VIP), "http://" + vip.get() + "/", List.of());
      } else {
        f.notes.add("the VIP service has no VIP");
      }
      http(
          c,
          f.requests(NetFigures.Kind.NAME),
          "http://" + t.vipService() + "/",
          List.of(t.resolver()));
      http(
          c,
          f.requests(NetFigures.Kind.RR),
          "http://" + t.rrService() + "/",
          List.of(t.resolver()));
      ProbeResult d =
          probe(c, List.of("dns", t.resolver(), t.vipService(), Integer.toString(queries)));
      f.dns.add(d.latencies(), d.failed(), 0);
      visibility(t, vip, f);
    }
  }

  /** A trial of {@value #TRIAL} requests; when any is answered, the timed run. */
  private void http(
      NetworkTarget.Client c, NetFigures.Requests into, String url, List<String> resolver) {
    List<String> trial = new ArrayList<>(List.of("http", url, Integer.toString(TRIAL), "0"));
    trial.addAll(resolver);
    ProbeResult r = probe(c, trial);
    if (r.latencies().isEmpty()) {
      into.add(List.of(), r.failed(), r.seconds());
      return;
    }
    List<String> timed =
        new ArrayList<>(List.of("http", url, Integer.toString(requests), Integer.toString(WARMUP)));
    timed.addAll(resolver);
    r = probe(c, timed);
    into.add(r.latencies(), r.failed(), r.seconds());
  }

  /**
   * Adds a task to the VIP service while a watcher on every client node polls DNS ({@code
   * tasks.NAME}) and, where there is a VIP, requests through it; each delay is from the new task's
   * RUNNING timestamp to the first poll that saw it. Then scales back.
   */
  private void visibility(NetworkTarget t, Optional<String> vip, NetFigures f) {
    List<NetworkTarget.RunningTask> before = t.running(t.vipService());
    String known =
        before.stream().map(NetworkTarget.RunningTask::address).collect(Collectors.joining(","));
    List<Watcher> dns = new ArrayList<>();
    List<Watcher> lb = new ArrayList<>();
    try {
      for (NetworkTarget.Client c : t.clients()) {
        dns.add(
            Watcher.start(
                c,
                List.of(
                    "watch-dns",
                    t.resolver(),
                    "tasks." + t.vipService(),
                    known,
                    "" + WATCH.toMillis())));
        vip.ifPresent(
            v ->
                lb.add(
                    Watcher.start(
                        c,
                        List.of("watch-http", "http://" + v + "/", known, "" + WATCH.toMillis()))));
      }
      for (Watcher w : concat(dns, lb)) {
        w.awaitReady();
      }
      t.scale(t.vipService(), before.size() + 1);
      await(
          SETUP,
          "the new task of " + t.vipService() + " running",
          () -> t.running(t.vipService()).size() == before.size() + 1);
      Set<String> old =
          before.stream().map(NetworkTarget.RunningTask::address).collect(Collectors.toSet());
      NetworkTarget.RunningTask added =
          t.running(t.vipService()).stream()
              .filter(r -> !old.contains(r.address()))
              .findFirst()
              .orElseThrow();
      collect(dns, added, f.inDns);
      collect(lb, added, f.viaVip);
      if (vip.isEmpty()) {
        f.viaVip.notes.add("no VIP");
      }
    } finally {
      concat(dns, lb).forEach(Watcher::stop);
      t.scale(t.vipService(), before.size());
      await(
          SETUP,
          t.vipService() + " back to " + before.size() + " task(s)",
          () -> t.running(t.vipService()).size() == before.size());
    }
  }

  private static void collect(
      List<Watcher> watchers, NetworkTarget.RunningTask added, NetFigures.Visibility into) {
    for (Watcher w : watchers) {
      String line = w.result(WATCH.plusSeconds(30));
      String[] f = line.split(" ");
      if (f[0].equals("seen") && f.length == 3 && f[1].equals(added.address())) {
        into.delay.add(Duration.between(added.runningAt(), Instant.parse(f[2])));
      } else if (f[0].equals("seen")) {
        into.notes.add(w.node + " saw " + f[1] + ", not the new task's " + added.address());
      } else {
        into.timedOut++;
      }
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** What the probe printed: the latencies of the answered, the failures, the time spent. */
  record ProbeResult(List<Long> latencies, int failed, double seconds, String responders) {

    static ProbeResult parse(String stdout) {
      List<Long> lat = new ArrayList<>();
      int failed = 0;
      double seconds = 0;
      String responders = "";
      for (String line : stdout.split("\n")) {
        String[] f = line.strip().split(" ", 2);
        String rest = f.length > 1 ? f[1].strip() : "";
        switch (f[0]) {
          case "lat" -> {
            if (!rest.isEmpty()) {
              Arrays.stream(rest.split(" ")).map(Long::parseLong).forEach(lat::add);
            }
          }
          case "fail" -> failed = Integer.parseInt(rest);
          case "seconds" -> seconds = Double.parseDouble(rest);
          case "responders" -> responders = rest;
          default -> {}
        }
      }
      return new ProbeResult(List.copyOf(lat), failed, seconds, responders);
    }
  }

  private static ProbeResult probe(NetworkTarget.Client c, List<String> args) {
    List<String> cmd = new ArrayList<>(c.prefix());
    cmd.addAll(args);
    CommandResult r = Shell.run(cmd, PROBE);
    if (!r.ok()) {
      throw TargetFailure.of("the probe (" + String.join(" ", args) + ") on " + c.node(), r);
    }
    return ProbeResult.parse(r.stdout());
  }

  /** A probe watching in the background; its one result line is read when it ends. */
  private static final class Watcher {
    final String node;
    final Process process;
    final CompletableFuture<Void> readyLine = new CompletableFuture<>();
    final CompletableFuture<String> resultLine = new CompletableFuture<>();

    private Watcher(String node, Process process) {
      this.node = node;
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    if (line.equals("ready")) {
                      readyLine.complete(null);
                    } else if (line.startsWith("seen ") || line.equals("timeout")) {
                      resultLine.complete(line);
                    }
                  }
                } catch (IOException e) {
                  // the process was stopped
                }
                readyLine.complete(null);
                resultLine.complete("ended");
              },
              "net-bench-watcher-" + node);
      reader.setDaemon(true);
      reader.start();
    }

    static Watcher start(NetworkTarget.Client c, List<String> args) {
      List<String> cmd = new ArrayList<>(c.prefix());
      cmd.addAll(args);
      try {
        return new Watcher(
            c.node(),
            new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start());
      } catch (IOException e) {
        throw new TargetFailure("cannot start the probe on " + c.node() + ": " + e.getMessage(), e);
      }
    }

    void awaitReady() {
      try {
        readyLine.get(PROBE.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new TargetFailure("the watcher on " + node + " did not start: " + e, e);
      }
    }

    String result(Duration timeout) {
      try {
        return resultLine.get(timeout.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        return "timeout";
      }
    }

    void stop() {
      process.destroyForcibly();
    }
  }

  /** Polls {@code condition} every 100 ms (a failing poll counts as false) until it holds. */
  static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      pause(Duration.ofMillis(100));
    }
    throw new TargetFailure(
        "timed out after "
            + timeout.toSeconds()
            + " s waiting for "
            + what
            + (last == null ? "" : " (" + last.getMessage() + ")"));
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TargetFailure("interrupted", e);
    }
  }
}
