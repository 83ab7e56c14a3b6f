package io.corral.worker.dns;

import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;

/** The EDNS OPT pseudo-record of a response: the UDP payload size this server sends. */
final class OptRecord extends AbstractDnsOptPseudoRrRecord {
  OptRecord(int maxPayloadSize) {
    super(maxPayloadSize, 0, 0);
  }
}
