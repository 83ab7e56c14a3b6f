package io.corral.worker.dns;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The netty channel classes of one transport: native epoll where it loads, else NIO. */
record Transport(
    boolean epoll,
    ChannelFactory<DatagramChannel> datagram,
    ChannelFactory<ServerChannel> server,
    ChannelFactory<SocketChannel> socket) {

  static Transport best() {
    if (Epoll.isAvailable()) {
      return new Transport(
          true, EpollDatagramChannel::new, EpollServerSocketChannel::new, EpollSocketChannel::new);
    }
    return nio();
  }

  static Transport nio() {
    return new Transport(
        false, NioDatagramChannel::new, NioServerSocketChannel::new, NioSocketChannel::new);
  }

  EventLoopGroup group(int threads, String name) {
    DefaultThreadFactory f = new DefaultThreadFactory(name, true);
    return epoll ? new EpollEventLoopGroup(threads, f) : new NioEventLoopGroup(threads, f);
  }
}
