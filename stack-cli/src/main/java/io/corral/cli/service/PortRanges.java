package io.corral.cli.service;

import io.corral.api.PortConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Docker's PORTS column of {@code service ls}: the ingress ports, sorted by protocol then published
 * port, with consecutive ones folded into ranges ({@code *:8080-8081->80-81/tcp}).
 */
final class PortRanges {

  private PortRanges() {}

  /** One range being folded; {@code protocol} empty before the first port. */
  private record Range(long pStart, long pEnd, long tStart, long tEnd, String protocol) {

    @Override
    public String toString() {
      String pub = pEnd > pStart ? pStart + "-" + pEnd : Long.toString(pStart);
      String tgt = tEnd > tStart ? tStart + "-" + tEnd : Long.toString(tStart);
      return "*:" + pub + "->" + tgt + "/" + protocol;
    }
  }

  static String of(List<PortConfig> ports) {
    List<PortConfig> sorted = new ArrayList<>(ports);
    sorted.sort(
        Comparator.comparing(PortRanges::protocol).thenComparingInt(PortConfig::getPublishedPort));
    List<String> out = new ArrayList<>();
    Range r = new Range(0, 0, 0, 0, "");
    for (PortConfig p : sorted) {
      if (p.getPublishMode() != PortConfig.PublishMode.INGRESS) {
        continue;
      }
      long published = p.getPublishedPort();
      long target = p.getTargetPort();
      boolean isRange = r.tEnd() != r.tStart();
      // A new range when the protocol changes, either port is not the next one, or a range's
      // targets would overlap (docker compares the ports as unsigned: going back is a gap too).
      if (!protocol(p).equals(r.protocol())
          || gap(published, r.pEnd()) > 1
          || gap(target, r.tEnd()) > 1
          || (isRange && target <= r.tEnd())) {
        if (r.pStart() > 0) {
          out.add(r.toString());
        }
        r = new Range(published, published, target, target, protocol(p));
        continue;
      }
      r = new Range(r.pStart(), published, r.tStart(), target, r.protocol());
    }
    if (r.pStart() > 0) {
      out.add(r.toString());
    }
    return String.join(", ", out);
  }

  private static long gap(long next, long last) {
    return next >= last ? next - last : Long.MAX_VALUE;
  }

  private static String protocol(PortConfig p) {
    return p.getProtocol().name().toLowerCase(Locale.ROOT);
  }
}
