package voicecall.app.telephony;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.tcp.TcpServer;

/**
 * A Reactor Netty TCP server whose connections each get a codec (installed before the first byte is
 * read) and a {@link Session} fed with the decoded messages. The telephony servers (AudioSocket,
 * FastAGI) extend it with their codec and session; it starts and stops with the application.
 *
 * @param <T> the decoded message type
 */
public abstract class TcpListener<T> implements SmartLifecycle {

  /**
   * One connection's protocol handler. All calls come from the channel's event loop.
   *
   * @param <T> the decoded message type
   */
  public interface Session<T> {

    /**
     * A decoded message arrived.
     *
     * @param message the message
     */
    void onMessage(T message);

    /**
     * Decoding or the connection failed; the connection is closed afterwards.
     *
     * @param error what went wrong
     */
    void onError(Throwable error);

    /** The connection is gone, however it ended. */
    void onClose();
  }

  private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

  private final String name;
  private final TcpServer tcp;
  private final Class<T> type;
  private volatile @Nullable DisposableServer server;

  /**
   * A listener, not yet bound.
   *
   * @param name what it is, for log lines and errors (e.g. {@code AudioSocket})
   * @param tcp the server with host, port and socket options set
   * @param type the decoded message type; anything else reaching the session is skipped
   */
  protected TcpListener(String name, TcpServer tcp, Class<T> type) {
    this.name = name;
    this.tcp = tcp.doOnChannelInit((observer, channel, remote) -> installCodec(channel));
    this.type = type;
  }

  /**
   * Puts the connection's decoder and encoder into a new channel's pipeline.
   *
   * @param channel the channel, before it has read anything
   */
  protected abstract void installCodec(Channel channel);

  /**
   * Makes the session of a new connection.
   *
   * @param channel the connection
   * @return its session
   */
  protected abstract Session<T> newSession(Channel channel);

  @Override
  public final void start() {
    DisposableServer bound = tcp.handle(this::serve).bindNow(Duration.ofSeconds(10));
    server = bound;
    log.info("{} server listening on {}", name, bound.address());
  }

  private Mono<Void> serve(NettyInbound in, NettyOutbound out) {
    return Mono.defer(
        () -> {
          Session<T>[] session = newSessionArray();
          in.withConnection(c -> session[0] = newSession(c.channel()));
          Session<T> s = session[0];
          return in.receiveObject()
              .ofType(type)
              .doOnNext(s::onMessage)
              .doOnError(s::onError)
              .onErrorResume(e -> Mono.empty())
              .doFinally(signal -> s.onClose())
              .then();
        });
  }

  @SuppressWarnings("unchecked")
  private static <T> Session<T>[] newSessionArray() {
    return (Session<T>[]) new Session<?>[1];
  }

  /**
   * Returns the bound address (useful when the port is 0).
   *
   * @throws IllegalStateException when the server is not running
   */
  public final InetSocketAddress address() {
    DisposableServer s = server;
    if (s == null) {
      throw new IllegalStateException(name + " server is not running");
    }
    return (InetSocketAddress) s.address();
  }

  @Override
  public final void stop() {
    DisposableServer s = server;
    server = null;
    if (s != null) {
      s.disposeNow(Duration.ofSeconds(5));
    }
  }

  @Override
  public final boolean isRunning() {
    return server != null;
  }
}
