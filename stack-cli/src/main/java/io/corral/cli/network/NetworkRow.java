package io.corral.cli.network;

import io.corral.api.Network;
import io.corral.cli.format.Ellipsis;
import io.corral.cli.format.GoTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One network as a line of {@code network ls}: the fields of docker's network list context, usable
 * from {@code --format} templates ({@code {{.Name}}}) and as {@code --format json}.
 */
record NetworkRow(
    String id,
    String name,
    String driver,
    String scope,
    boolean ipv6,
    boolean internal,
    String labels,
    String createdAt) {

  /** Column headers of a {@code table} template, by field. */
  static final Map<String, String> HEADERS =
      Map.of(
          "ID", "NETWORK ID",
          "Name", "NAME",
          "Driver", "DRIVER",
          "Scope", "SCOPE",
          "IPv6", "IPV6",
          "Internal", "INTERNAL",
          "Labels", "LABELS",
          "CreatedAt", "CREATED AT");

  /** Every corral network is a cluster-wide one: docker's "swarm" scope. */
  static final String SCOPE = "swarm";

  static NetworkRow of(Network n, boolean truncate) {
    return new NetworkRow(
        truncate ? Ellipsis.id(n.getId()) : n.getId(),
        n.getSpec().getAnnotations().getName(),
        driver(n),
        SCOPE,
        n.getSpec().getIpv6Enabled(),
        n.getSpec().getInternal(),
        // Docker joins the labels as k=v, in Go's sorted map order.
        new TreeMap<>(n.getSpec().getAnnotations().getLabelsMap())
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")),
        GoTime.string(n.getMeta().getCreatedAt()));
  }

  /** The driver the managers allocated the network with, else the one its spec asks for. */
  static String driver(Network n) {
    return n.hasDriverState() && !n.getDriverState().getName().isEmpty()
        ? n.getDriverState().getName()
        : n.getSpec().getDriverConfig().getName();
  }

  /** The row as template fields. */
  Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ID", id);
    m.put("Name", name);
    m.put("Driver", driver);
    m.put("Scope", scope);
    m.put("IPv6", ipv6);
    m.put("Internal", internal);
    m.put("Labels", labels);
    m.put("CreatedAt", createdAt);
    return m;
  }
}
