package io.corral.worker.dns;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.net.InetSocketAddress;

/**
 * Where the answer to one query goes: back over the UDP socket or the TCP connection it came on.
 */
interface Reply {
  /** Who asked. */
  InetSocketAddress asker();

  /** Whether the query came over TCP (forwarded over TCP too: its answer may be large). */
  boolean tcp();

  /** The largest message this asker takes (512 or its EDNS size for UDP; 65535 for TCP). */
  int limit();

  /** An empty response of the right kind for this transport. */
  DnsResponse response(int id, DnsOpCode opCode, DnsResponseCode code);

  /** Sends a response built by {@link #response}. */
  void send(DnsResponse response);

  /** Sends an upstream's whole message as it came; takes ownership of {@code message}. */
  void relay(ByteBuf message);
}
