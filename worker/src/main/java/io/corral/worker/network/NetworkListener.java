package io.corral.worker.network;

/**
 * Told when an overlay network comes up on this node (its bridge holds the gateway address, where
 * the node's DNS server can bind) and when it goes down again. Called with the driver's lock held:
 * keep it short.
 */
public interface NetworkListener {

  void up(String networkId, String gateway);

  void down(String networkId);

  NetworkListener NONE =
      new NetworkListener() {
        @Override
        public void up(String networkId, String gateway) {}

        @Override
        public void down(String networkId) {}
      };
}
