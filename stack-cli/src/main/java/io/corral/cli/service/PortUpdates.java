package io.corral.cli.service;

import io.corral.api.PortConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's updatePorts for {@code --publish-rm} and {@code --publish-add}: pure, on the ports of an
 * endpoint spec.
 */
final class PortUpdates {

  private PortUpdates() {}

  /**
   * {@code current} (duplicates dropped) minus every port matching one of {@code remove} by target
   * port, protocol and publish mode (the published port is not compared, so {@code --publish-rm 80}
   * removes {@code 8080:80}), plus each of {@code add} not already there; sorted by docker's {@code
   * published:target/protocol/mode} key so an unchanged list reads the same.
   *
   * <p>Unlike docker, an added port is compared with the list after the removals, so {@code
   * --publish-rm 80 --publish-add 8080:80} keeps 8080:80 (docker drops it).
   */
  static List<PortConfig> apply(
      List<PortConfig> current, List<PortConfig> remove, List<PortConfig> add) {
    Map<String, PortConfig> kept = new LinkedHashMap<>();
    for (PortConfig p : current) {
      if (remove.stream().noneMatch(r -> sameTarget(p, r))) {
        kept.putIfAbsent(PortSpecs.key(p), p);
      }
    }
    for (PortConfig p : add) {
      kept.putIfAbsent(PortSpecs.key(p), p);
    }
    List<PortConfig> out = new ArrayList<>(kept.values());
    out.sort(Comparator.comparing(PortSpecs::key));
    return out;
  }

  private static boolean sameTarget(PortConfig a, PortConfig b) {
    return a.getTargetPort() == b.getTargetPort()
        && a.getProtocol() == b.getProtocol()
        && a.getPublishMode() == b.getPublishMode();
  }
}
