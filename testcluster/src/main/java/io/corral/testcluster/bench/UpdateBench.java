package io.corral.testcluster.bench;

import io.corral.api.ControlGrpc;
import io.corral.api.ListNodesRequest;
import io.corral.api.Node;
import io.corral.api.NodeStatus;
import io.corral.cli.DaemonChannels;
import io.corral.testcluster.cluster.TestCluster;
import io.corral.worker.exec.docker.DockerClient;
import io.corral.worker.exec.docker.EngineException;
import io.corral.worker.exec.process.ImageManifest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral-bench update}: how long a rolling update of N replicas to a new image takes, and
 * its rollback, at each parallelism, on Corral (per executor, on a testcluster of 3 managers + 2
 * workers) and on Docker Swarm on the local engine, with the same update and rollback configs on
 * both. Needs root.
 */
@Command(
    name = "update",
    description =
        "Time service update (image v1 -> v2) and service rollback at each parallelism on Corral "
            + "(per executor) and on Docker Swarm (needs root).")
final class UpdateBench implements Callable<Integer> {

  static final String DOCKER_V1 = "corral-test/busybox:1";
  static final String DOCKER_V2 = "corral-test/busybox:2";

  /** Two process-executor images with the same entrypoint, written into every node's image root. */
  static final String PROCESS_V1 = "sleeper:1";

  static final String PROCESS_V2 = "sleeper:2";
  private static final Duration POLL_EVERY = Duration.ofMillis(100);
  private static final Duration NODES_READY = Duration.ofMinutes(2);
  private static final int MANAGERS = 3;
  private static final int WORKERS = 2;
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  @Option(
      names = "--replicas",
      defaultValue = "20",
      description = "replicas of the service (default: ${DEFAULT-VALUE})")
  int replicas;

  @Option(
      names = "--parallelism",
      split = ",",
      defaultValue = "1,5",
      description = "update and rollback parallelisms to measure (default: ${DEFAULT-VALUE})")
  List<Integer> parallelisms;

  @Option(
      names = "--monitor",
      defaultValue = "5s",
      description =
          "--update-monitor and --rollback-monitor on both systems, e.g. 5s, 500ms "
              + "(default: ${DEFAULT-VALUE}, Swarm's default)")
  String monitor;

  @Option(
      names = "--executors",
      split = ",",
      defaultValue = "process,docker",
      description = "Corral executors to measure: process, docker (default: ${DEFAULT-VALUE})")
  List<String> executors;

  @Option(
      names = "--rounds",
      defaultValue = "1",
      description = "rounds per parallelism; figures are medians (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--no-swarm", description = "do not run the updates on Docker Swarm")
  boolean noSwarm;

  @Override
  public Integer call() {
    String invalid = invalidOptions();
    if (!invalid.isEmpty()) {
      System.err.println("corral-bench update: " + invalid);
      return 2;
    }
    Duration m = parseMonitor(monitor).orElseThrow();
    List<UpdatePhase> phases = UpdatePhase.plan(parallelisms);
    System.out.printf(
        "corral-bench update: %d replicas, parallelism %s, update/rollback delay 0s, monitor %s, "
            + "%d round(s); corral on %d managers + %d workers (one network namespace each); "
            + "%d cores, Java %s%n",
        replicas,
        parallelisms,
        monitor,
        rounds,
        MANAGERS,
        WORKERS,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    System.out.printf(
        "each update (v1 -> v2) and rollback (-> v1) is timed from the start of its CLI call "
            + "(--detach) until a poll (every %d ms) sees every task of the new spec running and "
            + "every other task ended; tasks exit on SIGTERM%n",
        POLL_EVERY.toMillis());
    try (DockerClient engine = DockerClient.local()) {
      Optional<UpdateResults> swarm = Optional.empty();
      String swarmNote;
      if (noSwarm) {
        swarmNote = "docker swarm: not run (--no-swarm)";
      } else {
        try (LocalSwarm local = LocalSwarm.prepare(engine, DOCKER_V1)) {
          Optional<SwarmTarget> found = local.target(engine, List.of(DOCKER_V1));
          Optional<String> noV2 = missingImage(engine, DOCKER_V2);
          if (found.isEmpty()) {
            swarmNote = "docker swarm: unavailable (" + local.unavailableReason() + ")";
          } else if (noV2.isPresent()) {
            swarmNote = "docker swarm: unavailable (" + noV2.get() + ")";
          } else {
            swarmNote = found.get().name() + ": " + local.setup();
            System.out.println(swarmNote);
            // LocalSwarm found the docker CLI on the PATH.
            UpdateSwarmTarget target =
                new UpdateSwarmTarget(
                    "docker", engine, found.get().name(), ConvergeBench.DOCKER_COMMAND);
            swarm =
                Optional.of(sequence(target, m, DOCKER_V1, DOCKER_V2).run(parallelisms, rounds));
          }
          if (swarm.isEmpty()) {
            System.out.println(swarmNote);
          }
        }
      }
      List<UpdateResults> corral = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      for (String executor : executors) {
        Optional<String> unavailable =
            executor.equals("docker") ? dockerUnavailable(engine) : Optional.empty();
        if (unavailable.isPresent()) {
          String line = "corral (docker executor): unavailable (" + unavailable.get() + ")";
          skipped.add(line);
          System.out.println(line);
          continue;
        }
        corral.add(runCorral(executor, engine, m));
      }
      report(phases, m, swarmNote, swarm, corral, skipped);
    }
    return 0;
  }

  private UpdateSequence sequence(UpdateTarget target, Duration m, String v1, String v2) {
    return new UpdateSequence(target, POLL_EVERY, System.out, replicas, m, v1, v2);
  }

  private String invalidOptions() {
    if (replicas < 1) {
      return "--replicas must be 1 or more, not " + replicas;
    }
    if (parallelisms.isEmpty() || parallelisms.stream().anyMatch(p -> p < 1)) {
      return "--parallelism must be positive numbers of tasks per batch, not " + parallelisms;
    }
    if (rounds < 1) {
      return "--rounds must be 1 or more, not " + rounds;
    }
    if (parseMonitor(monitor).isEmpty()) {
      return "--monitor must be a duration such as 5s, 500ms or 1m, not '" + monitor + "'";
    }
    List<String> unknown =
        executors.stream().filter(e -> !e.equals("process") && !e.equals("docker")).toList();
    if (!unknown.isEmpty()) {
      return "unknown executor(s) " + unknown + ": use --executors process,docker";
    }
    return "";
  }

  /** A whole number of ms, s or m (what both CLIs accept and print back the same). */
  static Optional<Duration> parseMonitor(String text) {
    Matcher m = GO_DURATION.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          default -> Duration.ofMinutes(n);
        });
  }

  private static Optional<String> missingImage(DockerClient engine, String image) {
    try {
      return engine.inspectImage(image).isPresent()
          ? Optional.empty()
          : Optional.of("image " + image + " is missing; run bin/ci-docker-setup as root");
    } catch (EngineException e) {
      return Optional.of("the Docker engine on " + engine.socket() + " failed: " + e.getMessage());
    }
  }

  private static Optional<String> dockerUnavailable(DockerClient engine) {
    try {
      if (!engine.ping()) {
        return Optional.of(
            "no Docker engine answers on " + engine.socket() + "; run bin/ci-docker-setup as root");
      }
    } catch (EngineException e) {
      return Optional.of("the Docker engine on " + engine.socket() + " failed: " + e.getMessage());
    }
    return missingImage(engine, DOCKER_V1).or(() -> missingImage(engine, DOCKER_V2));
  }

  private UpdateResults runCorral(String executor, DockerClient engine, Duration m) {
    System.out.printf(
        "corral (%s executor): starting a testcluster of %d managers + %d workers%n",
        executor, MANAGERS, WORKERS);
    boolean docker = executor.equals("docker");
    UpdateCorralTarget target = null;
    Thread leftoversHook = null;
    try (TestCluster cluster =
        TestCluster.builder()
            .name("upd-" + executor)
            .managers(MANAGERS)
            .workers(WORKERS)
            .daemonOptions("--executor", executor)
            .build()
            .up()) {
      if (!docker) {
        for (String node : cluster.nodes()) {
          writeProcessImages(cluster.dataDir(node));
        }
      }
      awaitNodesReady(cluster);
      target =
          new UpdateCorralTarget(
              cluster,
              executor,
              docker ? ConvergeBench.DOCKER_COMMAND : List.of(),
              docker ? Optional.of(engine) : Optional.empty());
      UpdateCorralTarget started = target;
      // Ctrl-C: the testcluster's own hook kills the daemons, but their containers live on in the
      // shared dockerd.
      leftoversHook = new Thread(() -> removeLeftovers(started), "corral-bench-remove-containers");
      Runtime.getRuntime().addShutdownHook(leftoversHook);
      return docker
          ? sequence(target, m, DOCKER_V1, DOCKER_V2).run(parallelisms, rounds)
          : sequence(target, m, PROCESS_V1, PROCESS_V2).run(parallelisms, rounds);
    } catch (RuntimeException e) {
      // E.g. the cluster did not come up: say so in the figures and go on with the other systems.
      UpdateResults failed = new UpdateResults("corral (" + executor + " executor)");
      failed.stop("failed: " + e);
      System.out.println(
          "corral (" + executor + " executor): " + failed.stoppedBecause().orElseThrow());
      return failed;
    } finally {
      if (target != null) {
        target.close();
        removeHook(leftoversHook);
        removeLeftovers(target);
      }
    }
  }

  private static void removeHook(Thread hook) {
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs or has run
      }
    }
  }

  private static void removeLeftovers(UpdateCorralTarget target) {
    try {
      target.removeLeftoverContainers();
    } catch (TargetFailure e) {
      System.err.println(
          "corral-bench: "
              + e.getMessage()
              + "; remove them by hand: docker ps -aq --filter "
              + "label=LABEL=VALUE | xargs -r docker rm -f");
    }
  }

  /**
   * Both process images, {@code <dataDir>/images/sleeper/{1,2}/image.properties} (see {@link
   * ImageManifest}): the same entrypoint, so that an update changes the image and nothing else.
   */
  static void writeProcessImages(Path dataDir) {
    for (String image : List.of(PROCESS_V1, PROCESS_V2)) {
      String[] nameTag = image.split(":");
      Path dir = dataDir.resolve("images").resolve(nameTag[0]).resolve(nameTag[1]);
      try {
        Files.createDirectories(dir);
        // Properties syntax: a backslash escapes, so the entrypoint's own backslashes are doubled.
        Files.writeString(
            dir.resolve(ImageManifest.FILE_NAME),
            "entrypoint=" + ConvergeBench.PROCESS_ENTRYPOINT.replace("\\", "\\\\") + "\n");
      } catch (IOException e) {
        throw new TargetFailure(
            "cannot write the process image in " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /** Waits until the first manager lists every node Ready, so that tasks spread over all. */
  static void awaitNodesReady(TestCluster cluster) {
    long deadline = System.nanoTime() + NODES_READY.toNanos();
    ManagedChannel ch = DaemonChannels.open(cluster.socket("m1").toString());
    try {
      while (true) {
        try {
          List<Node> nodes =
              ControlGrpc.newBlockingStub(ch)
                  .withDeadlineAfter(5, TimeUnit.SECONDS)
                  .listNodes(ListNodesRequest.getDefaultInstance())
                  .getNodesList();
          if (nodes.size() == MANAGERS + WORKERS
              && nodes.stream().allMatch(n -> n.getStatus().getState() == NodeStatus.State.READY)) {
            return;
          }
        } catch (StatusRuntimeException e) {
          // not answering yet
        }
        if (System.nanoTime() > deadline) {
          throw new TargetFailure(
              "not all "
                  + (MANAGERS + WORKERS)
                  + " nodes were Ready within "
                  + NODES_READY.toMinutes()
                  + " minutes of forming the cluster");
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TargetFailure("interrupted", e);
    } finally {
      ch.shutdownNow();
    }
  }

  private void report(
      List<UpdatePhase> phases,
      Duration m,
      String swarmNote,
      Optional<UpdateResults> swarm,
      List<UpdateResults> corral,
      List<String> skipped) {
    System.out.println();
    System.out.printf(
        "== corral-bench update: %d replicas, delay 0s, monitor %s, median of %d round(s); "
            + "speed-up = swarm / corral (above 1: corral faster) ==%n",
        replicas, UpdateTarget.goDuration(m), rounds);
    System.out.println(swarmNote);
    System.out.print(UpdateTable.render(phases, corral, swarm));
    swarm.ifPresent(UpdateBench::printStopAndCosts);
    corral.forEach(UpdateBench::printStopAndCosts);
    skipped.forEach(System.out::println);
  }

  private static void printStopAndCosts(UpdateResults r) {
    r.stoppedBecause().ifPresent(why -> System.out.println(r.system() + " stopped: " + why));
    System.out.println(
        r.system()
            + ": CLI call median "
            + median(r.cliCalls())
            + ", poll median "
            + median(r.polls())
            + " (both inside the figures)");
  }

  private static String median(Stats s) {
    return s.count() == 0 ? "-" : Stats.ms(s.medianMillis());
  }
}
