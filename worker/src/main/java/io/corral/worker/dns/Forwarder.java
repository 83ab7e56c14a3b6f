package io.corral.worker.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a query for a non-cluster name to the node's resolvers, one after the other, and the first
 * answer back as it came (so whatever the upstream put in it, EDNS, DNSSEC, compressed names,
 * passes intact). Each attempt has its own socket: a fresh source port per query is what makes a
 * forged answer hard to slip in, and it keeps askers' query ids from colliding. Nothing here
 * blocks.
 */
final class Forwarder {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
  private static final int MAX_TCP_MESSAGE = 65535;
  private static final int HEADER = 12;

  private final EventLoopGroup group;
  private final Transport transport;
  private final List<InetSocketAddress> upstreams;
  private final Duration timeout;
  private final Predicate<InetSocketAddress> isSelf;

  Forwarder(
      EventLoopGroup group,
      Transport transport,
      List<InetSocketAddress> upstreams,
      Duration timeout,
      Predicate<InetSocketAddress> isSelf) {
    this.group = group;
    this.transport = transport;
    this.upstreams = List.copyOf(upstreams);
    this.timeout = timeout;
    this.isSelf = isSelf;
  }

  /**
   * Forwards {@code query} (its question and EDNS record, copied: the caller may release it once
   * this returns) and answers {@code reply}; SERVFAIL when no upstream answers in time, at once
   * when there is none.
   */
  void forward(DnsQuery query, DnsQuestion question, Reply reply) {
    // Skip our own listen addresses: a node whose resolv.conf named a gateway would loop forever.
    List<InetSocketAddress> targets = new ArrayList<>();
    for (InetSocketAddress u : upstreams) {
      if (!isSelf.test(u)) {
        targets.add(u);
      }
    }
    Request request =
        new Request(
            query.id(),
            query.opCode(),
            query.isRecursionDesired(),
            new DefaultDnsQuestion(question.name(), question.type(), question.dnsClass()),
            opt(query),
            reply);
    attempt(request, targets, 0);
  }

  private static DnsRawRecord opt(DnsQuery query) {
    for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
      DnsRecord r = query.recordAt(DnsSection.ADDITIONAL, i);
      if (r.type() == DnsRecordType.OPT && r instanceof DnsRawRecord raw) {
        return raw.retainedDuplicate();
      }
    }
    return null;
  }

  private void attempt(Request request, List<InetSocketAddress> targets, int index) {
    if (index >= targets.size()) {
      request.release();
      Reply reply = request.reply();
      DnsResponse r = reply.response(request.id(), request.opCode(), DnsResponseCode.SERVFAIL);
      r.setRecursionDesired(request.recursionDesired()).setRecursionAvailable(true);
      r.addRecord(DnsSection.QUESTION, request.question());
      reply.send(r);
      return;
    }
    InetSocketAddress upstream = targets.get(index);
    AtomicBoolean finished = new AtomicBoolean();
    AtomicReference<Channel> channel = new AtomicReference<>();
    AtomicReference<ScheduledFuture<?>> timer = new AtomicReference<>();
    Consumer<ByteBuf> done =
        message -> {
          if (!finished.compareAndSet(false, true)) {
            if (message != null) {
              message.release();
            }
            return;
          }
          ScheduledFuture<?> t = timer.get();
          if (t != null) {
            t.cancel(false);
          }
          Channel ch = channel.get();
          if (ch != null) {
            ch.close();
          }
          if (message == null) {
            LOG.debug("upstream {} gave no answer for {}", upstream, request.question().name());
            attempt(request, targets, index + 1);
          } else {
            request.release();
            request.reply().relay(message);
          }
        };
    ChannelFuture started =
        request.reply().tcp()
            ? tcp(request, upstream, finished, done)
            : udp(request, upstream, finished, done);
    channel.set(started.channel());
    timer.set(group.schedule(() -> done.accept(null), timeout.toMillis(), TimeUnit.MILLISECONDS));
    if (finished.get()) {
      timer.get().cancel(false); // it failed at once
    }
    started.addListener(
        f -> {
          if (!f.isSuccess()) {
            done.accept(null);
          }
        });
  }

  private ChannelFuture udp(
      Request request, InetSocketAddress upstream, AtomicBoolean finished, Consumer<ByteBuf> done) {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channelFactory(transport.datagram())
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new DatagramDnsQueryEncoder(),
                            new SimpleChannelInboundHandler<DatagramPacket>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, DatagramPacket p) {
                                // Only the upstream's answer to this very query; anything else
                                // on this port is ignored.
                                if (upstream.equals(p.sender()) && answers(request, p.content())) {
                                  done.accept(p.content().retain());
                                  ctx.close();
                                }
                              }

                              @Override
                              public void exceptionCaught(ChannelHandlerContext ctx, Throwable c) {
                                done.accept(null); // e.g. ICMP port unreachable
                                ctx.close();
                              }
                            });
                  }
                });
    ChannelFuture bound = b.bind(new InetSocketAddress(0));
    bound.addListener(
        f -> {
          // Not after a timeout: the request's EDNS record may be released by then.
          if (f.isSuccess() && !finished.get()) {
            DatagramDnsQuery q = new DatagramDnsQuery(null, upstream, request.id());
            request.fill(q);
            bound.channel().writeAndFlush(q).addListener(w -> failed(w.isSuccess(), done));
          }
        });
    return bound;
  }

  private ChannelFuture tcp(
      Request request, InetSocketAddress upstream, AtomicBoolean finished, Consumer<ByteBuf> done) {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channelFactory(transport.socket())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new TcpDnsQueryEncoder(),
                            new LengthFieldBasedFrameDecoder(MAX_TCP_MESSAGE, 0, 2, 0, 2),
                            new SimpleChannelInboundHandler<ByteBuf>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, ByteBuf m) {
                                if (answers(request, m)) {
                                  done.accept(m.retain());
                                  ctx.close();
                                }
                              }

                              @Override
                              public void channelInactive(ChannelHandlerContext ctx) {
                                done.accept(null);
                              }

                              @Override
                              public void exceptionCaught(ChannelHandlerContext ctx, Throwable c) {
                                done.accept(null);
                                ctx.close();
                              }
                            });
                  }
                });
    ChannelFuture connected = b.connect(upstream);
    connected.addListener(
        f -> {
          if (f.isSuccess() && !finished.get()) {
            DefaultDnsQuery q = new DefaultDnsQuery(request.id());
            request.fill(q);
            connected.channel().writeAndFlush(q).addListener(w -> failed(w.isSuccess(), done));
          }
        });
    return connected;
  }

  private static void failed(boolean success, Consumer<ByteBuf> done) {
    if (!success) {
      done.accept(null);
    }
  }

  // A whole header with our id: the relayed bytes are the upstream's, never checked further.
  private static boolean answers(Request request, ByteBuf m) {
    return m.readableBytes() >= HEADER && m.getUnsignedShort(m.readerIndex()) == request.id();
  }

  /** What is kept of the asker's query while it is forwarded. */
  private record Request(
      int id,
      DnsOpCode opCode,
      boolean recursionDesired,
      DnsQuestion question,
      DnsRawRecord opt,
      Reply reply) {

    void fill(DnsQuery q) {
      q.setOpCode(opCode).setRecursionDesired(recursionDesired);
      q.addRecord(DnsSection.QUESTION, question);
      if (opt != null) {
        q.addRecord(DnsSection.ADDITIONAL, opt.retainedDuplicate());
      }
    }

    void release() {
      if (opt != null) {
        opt.release();
      }
    }
  }
}
