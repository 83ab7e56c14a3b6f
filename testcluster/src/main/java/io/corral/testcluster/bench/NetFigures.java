package io.corral.testcluster.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What {@code corral-bench network} measured on one system, pooled over its rounds. */
final class NetFigures {

  /** Sequential requests of one kind: latencies of those answered, failures, time spent. */
  static final class Requests {
    final Stats latency = new Stats();
    int failed;
    double seconds;

    void add(List<Long> nanos, int fails, double secs) {
      nanos.forEach(latency::add);
      failed += fails;
      seconds += secs;
    }

    int answered() {
      return latency.count();
    }

    double perSecond() {
      return seconds <= 0 ? 0 : (answered() + failed) / seconds;
    }
  }

  /** Delays from a new task's RUNNING to its being seen, one per client node and round. */
  static final class Visibility {
    final Stats delay = new Stats();
    int timedOut;
    final List<String> notes = new ArrayList<>();
  }

  /** The kinds of request between a client task and a server task on another node. */
  enum Kind {
    ADDRESS("HTTP by task address"),
    VIP("HTTP by VIP"),
    NAME("HTTP by service name (VIP service; lookup + request)"),
    RR("HTTP by service name (dnsrr service; lookup + request)");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  final String system;
  final Map<Kind, Requests> requests = new EnumMap<>(Kind.class);
  final Requests dns = new Requests();
  final Visibility inDns = new Visibility();
  final Visibility viaVip = new Visibility();
  String stoppedBecause = "";
  final List<String> notes = new ArrayList<>();

  NetFigures(String system) {
    this.system = system;
  }

  Requests requests(Kind kind) {
    return requests.computeIfAbsent(kind, k -> new Requests());
  }
}
