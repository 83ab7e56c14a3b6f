package io.corral.testcluster.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a convergence run of one system measured: times per size and phase, the cost of its CLI
 * calls and of its polls (both are part of the figures), and why it stopped early, if it did.
 */
final class ConvergeResults {

  private final String system;
  private final Map<Integer, Map<Phase, PhaseTimes>> times = new TreeMap<>();
  private final Stats cliCalls = new Stats();
  private final Stats polls = new Stats();
  private String stoppedBecause;

  ConvergeResults(String system) {
    this.system = system;
  }

  String system() {
    return system;
  }

  PhaseTimes at(int size, Phase phase) {
    return times
        .computeIfAbsent(size, s -> new EnumMap<>(Phase.class))
        .computeIfAbsent(phase, p -> new PhaseTimes());
  }

  /** The times of a phase at a size, or empty when it never ran. */
  Optional<PhaseTimes> find(int size, Phase phase) {
    return Optional.ofNullable(times.getOrDefault(size, Map.of()).get(phase));
  }

  Stats cliCalls() {
    return cliCalls;
  }

  Stats polls() {
    return polls;
  }

  void stop(String reason) {
    stoppedBecause = reason;
  }

  Optional<String> stoppedBecause() {
    return Optional.ofNullable(stoppedBecause);
  }
}
