package io.corral.manager.store;

/** One manager in the Raft group: its node id and the host:port of its Raft endpoint. */
public record StorePeer(String id, String address) {

  public StorePeer {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("store peer id must not be empty");
    }
    if (address == null || address.lastIndexOf(':') <= 0) {
      throw new IllegalArgumentException(
          "store peer " + id + ": address must be host:port, got " + address);
    }
  }

  public String host() {
    return address.substring(0, address.lastIndexOf(':'));
  }

  public int port() {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}
