package io.corral.worker.network;

import io.corral.api.ContainerSpec;

/**
 * The text of a networked task's resolv.conf: the node's DNS server on the gateway of the task's
 * first network, unless the spec names its own nameservers (they replace it, as docker's {@code
 * --dns} does), then the spec's search domains and options.
 */
public final class ResolvConf {

  private ResolvConf() {}

  public static String render(String gateway, ContainerSpec.DNSConfig dns) {
    StringBuilder b = new StringBuilder();
    if (dns.getNameserversCount() == 0) {
      b.append("nameserver ").append(gateway).append('\n');
    } else {
      dns.getNameserversList().forEach(ns -> b.append("nameserver ").append(ns).append('\n'));
    }
    if (dns.getSearchCount() > 0) {
      b.append("search ").append(String.join(" ", dns.getSearchList())).append('\n');
    }
    if (dns.getOptionsCount() > 0) {
      b.append("options ").append(String.join(" ", dns.getOptionsList())).append('\n');
    }
    return b.toString();
  }
}
