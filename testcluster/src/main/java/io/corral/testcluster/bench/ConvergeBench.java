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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral-bench converge}: how long Corral takes to get N replicas running, to scale them to
 * 2N and back to N, for each executor, on a testcluster of 3 managers + 2 workers; and the same
 * sequence on Docker Swarm on the local engine when it is (or can be made) a swarm manager. Needs
 * root.
 */
@Command(
    name = "converge",
    description =
        "Time create -> N running, scale N -> 2N -> N on Corral (per executor) "
            + "and on Docker Swarm (needs root).")
final class ConvergeBench implements Callable<Integer> {

  static final String DOCKER_IMAGE = "corral-test/busybox:1";

  /**
   * Exits at once on SIGTERM (PID 1 in a container ignores it otherwise, and the stop would wait 10
   * s).
   */
  static final List<String> DOCKER_COMMAND =
      List.of("sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait");

  /** A process-executor image written into every node's image root. */
  static final String PROCESS_IMAGE = "sleeper:1";

  static final String PROCESS_ENTRYPOINT =
      "/bin/sh -c \"trap 'exit 0' TERM; while true; do sleep 1; done\"";
  private static final Duration POLL_EVERY = Duration.ofMillis(100);
  private static final Duration NODES_READY = Duration.ofMinutes(2);
  private static final int MANAGERS = 3;
  private static final int WORKERS = 2;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "10,50,100,200",
      description = "replica counts N (default: ${DEFAULT-VALUE})")
  List<Integer> sizes;

  @Option(
      names = "--executors",
      split = ",",
      defaultValue = "process,docker",
      description = "Corral executors to measure: process, docker (default: ${DEFAULT-VALUE})")
  List<String> executors;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "rounds per size; figures are medians")
  int rounds;

  @Option(names = "--no-swarm", description = "do not run the sequence on Docker Swarm")
  boolean noSwarm;

  @Override
  public Integer call() {
    String invalid = invalidOptions();
    if (!invalid.isEmpty()) {
      System.err.println("corral-bench converge: " + invalid);
      return 2;
    }
    System.out.printf(
        "corral-bench converge: N = %s, %d round(s) each; corral on %d managers + %d workers "
            + "(one network namespace each); %d cores, Java %s%n",
        sizes,
        rounds,
        MANAGERS,
        WORKERS,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    System.out.printf(
        "each step is timed from the start of its CLI call until a poll (every %d ms) sees exactly "
            + "the wanted tasks running and the scaled-away ones ended%n",
        POLL_EVERY.toMillis());
    try (DockerClient engine = DockerClient.local()) {
      Optional<ConvergeResults> swarm = Optional.empty();
      String swarmNote;
      if (noSwarm) {
        swarmNote = "docker swarm: not run (--no-swarm)";
      } else {
        try (LocalSwarm local = LocalSwarm.prepare(engine, DOCKER_IMAGE)) {
          Optional<SwarmTarget> target = local.target(engine, imageAndCommand("docker"));
          if (target.isEmpty()) {
            swarmNote = "docker swarm: unavailable (" + local.unavailableReason() + ")";
            System.out.println(swarmNote);
          } else {
            swarmNote =
                target.get().name() + ": " + local.setup() + "; all its tasks run on this one node";
            System.out.println(swarmNote);
            swarm =
                Optional.of(
                    new ConvergeSequence(target.get(), POLL_EVERY, System.out).run(sizes, rounds));
          }
        }
      }
      Map<String, ConvergeResults> corral = new LinkedHashMap<>();
      Map<String, String> skipped = new LinkedHashMap<>();
      for (String executor : executors) {
        Optional<String> unavailable =
            executor.equals("docker") ? dockerUnavailable(engine) : Optional.empty();
        if (unavailable.isPresent()) {
          skipped.put(executor, unavailable.get());
          System.out.println("corral (docker executor): unavailable (" + unavailable.get() + ")");
          continue;
        }
        corral.put(executor, runCorral(executor, engine));
      }
      report(swarmNote, swarm, corral, skipped);
    }
    return 0;
  }

  private String invalidOptions() {
    if (sizes.stream().anyMatch(n -> n < 1)) {
      return "--sizes must be positive replica counts, not " + sizes;
    }
    if (rounds < 1) {
      return "--rounds must be 1 or more, not " + rounds;
    }
    List<String> unknown =
        executors.stream().filter(e -> !e.equals("process") && !e.equals("docker")).toList();
    if (!unknown.isEmpty()) {
      return "unknown executor(s) " + unknown + ": use --executors process,docker";
    }
    return "";
  }

  private static List<String> imageAndCommand(String executor) {
    if (executor.equals("process")) {
      return List.of(PROCESS_IMAGE);
    }
    List<String> all = new ArrayList<>(List.of(DOCKER_IMAGE));
    all.addAll(DOCKER_COMMAND);
    return all;
  }

  private static Optional<String> dockerUnavailable(DockerClient engine) {
    try {
      if (!engine.ping()) {
        return Optional.of(
            "no Docker engine answers on " + engine.socket() + "; run bin/ci-docker-setup as root");
      }
      if (engine.inspectImage(DOCKER_IMAGE).isEmpty()) {
        return Optional.of(
            "image " + DOCKER_IMAGE + " is missing; run bin/ci-docker-setup as root");
      }
      return Optional.empty();
    } catch (EngineException e) {
      return Optional.of("the Docker engine on " + engine.socket() + " failed: " + e.getMessage());
    }
  }

  private ConvergeResults runCorral(String executor, DockerClient engine) {
    System.out.printf(
        "corral (%s executor): starting a testcluster of %d managers + %d workers%n",
        executor, MANAGERS, WORKERS);
    Optional<DockerClient> docker =
        executor.equals("docker") ? Optional.of(engine) : Optional.empty();
    CorralTarget target = null;
    Thread leftoversHook = null;
    try (TestCluster cluster =
        TestCluster.builder()
            .name("conv-" + executor)
            .managers(MANAGERS)
            .workers(WORKERS)
            .daemonOptions("--executor", executor)
            .build()
            .up()) {
      if (executor.equals("process")) {
        for (String node : cluster.nodes()) {
          writeProcessImage(cluster.dataDir(node));
        }
      }
      awaitNodesReady(cluster);
      target = new CorralTarget(cluster, executor, imageAndCommand(executor), docker);
      CorralTarget started = target;
      // Ctrl-C: the testcluster's own hook kills the daemons, but their containers live on in the
      // shared dockerd.
      leftoversHook = new Thread(() -> removeLeftovers(started), "corral-bench-remove-containers");
      Runtime.getRuntime().addShutdownHook(leftoversHook);
      return new ConvergeSequence(target, POLL_EVERY, System.out).run(sizes, rounds);
    } catch (RuntimeException e) {
      // E.g. the cluster did not come up: say so in the figures and go on with the other systems.
      ConvergeResults failed = new ConvergeResults("corral (" + executor + " executor)");
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

  private static void removeLeftovers(CorralTarget target) {
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
   * The process executor's image: {@code <dataDir>/images/NAME/TAG/image.properties} (see {@link
   * ImageManifest}).
   */
  static void writeProcessImage(Path dataDir) {
    String[] nameTag = PROCESS_IMAGE.split(":");
    Path dir = dataDir.resolve("images").resolve(nameTag[0]).resolve(nameTag[1]);
    try {
      Files.createDirectories(dir);
      // Properties syntax: a backslash escapes, so the entrypoint's own backslashes are doubled.
      Files.writeString(
          dir.resolve(ImageManifest.FILE_NAME),
          "entrypoint=" + PROCESS_ENTRYPOINT.replace("\\", "\\\\") + "\n");
    } catch (IOException e) {
      throw new TargetFailure(
          "cannot write the process image in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the first manager lists every node Ready, so that the first round can use all of
   * them.
   */
  private static void awaitNodesReady(TestCluster cluster) {
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
      String swarmNote,
      Optional<ConvergeResults> swarm,
      Map<String, ConvergeResults> corral,
      Map<String, String> skipped) {
    System.out.println();
    System.out.println(
        "== corral-bench converge: median of "
            + rounds
            + " round(s); ratio = corral / docker "
            + "(above 1: corral slower) ==");
    System.out.println(swarmNote);
    swarm
        .flatMap(ConvergeResults::stoppedBecause)
        .ifPresent(why -> System.out.println("docker swarm stopped: " + why));
    swarm.ifPresent(s -> System.out.println(costs(s)));
    for (Map.Entry<String, ConvergeResults> e : corral.entrySet()) {
      ConvergeResults c = e.getValue();
      System.out.println();
      System.out.println(
          c.system()
              + " on "
              + MANAGERS
              + " managers + "
              + WORKERS
              + " workers vs "
              + swarm.map(ConvergeResults::system).orElse("no docker swarm"));
      System.out.print(ConvergeTable.render(sizes, c, swarm));
      c.stoppedBecause().ifPresent(why -> System.out.println(c.system() + " stopped: " + why));
      System.out.println(costs(c));
    }
    skipped.forEach(
        (executor, why) ->
            System.out.println("corral (" + executor + " executor): unavailable (" + why + ")"));
  }

  /** The CLI calls and polls are part of each figure: how long they took. */
  private static String costs(ConvergeResults r) {
    return r.system()
        + ": CLI call median "
        + median(r.cliCalls())
        + ", poll median "
        + median(r.polls())
        + " (both inside the figures)";
  }

  private static String median(Stats s) {
    return s.count() == 0 ? "-" : Stats.ms(s.medianMillis());
  }
}
