package voicecall.app.telephony.client;

import static io.netty.channel.ChannelFutureListener.CLOSE_ON_FAILURE;

import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import voicecall.app.telephony.audiosocket.AudioSocketDecoder;
import voicecall.app.telephony.audiosocket.AudioSocketEncoder;
import voicecall.app.telephony.audiosocket.AudioSocketMessage;

/**
 * A caller that behaves like Asterisk on an AudioSocket connection: sends the id first, then 20 ms
 * audio frames paced in real time (its script, then silence), DTMF keys when told, and hangs up by
 * closing the socket. It records every message the engine sends with its arrival time, which is
 * what tests and the load test measure.
 */
public final class AudioSocketCaller {

  private final Connection connection;
  private final UUID id;
  private final Pcm script;
  private final ConcurrentLinkedQueue<ReceivedMessage> received = new ConcurrentLinkedQueue<>();
  private final Sinks.Empty<Void> closed = Sinks.empty();
  private final Sinks.One<ReceivedMessage> firstAudio = Sinks.one();
  private final AtomicReference<Speech> speaking;
  private final AtomicReference<short[]> lineNoise = new AtomicReference<>(new short[0]);
  private long noisePosition;
  private long[] audibleAt = new long[256];
  private int audibleCount;
  private final int samplesPerFrame;
  private volatile Disposable pacing = Disposables.disposed();

  private AudioSocketCaller(Connection connection, UUID id, Pcm script) {
    this.connection = connection;
    this.id = id;
    this.script = script;
    this.samplesPerFrame = script.sampleRate() / 50;
    this.speaking = new AtomicReference<>(new Speech(script.samples()));
  }

  /**
   * What the caller is saying, how much of it was sent, and when the frame with its last sample was
   * handed to the socket.
   */
  private record Speech(short[] samples, AtomicInteger position, Sinks.One<Long> sent) {
    Speech(short[] samples) {
      this(samples, new AtomicInteger(), Sinks.one());
    }
  }

  /**
   * Calls the engine.
   *
   * @param server the AudioSocket server
   * @param id the call's id
   * @param script what the caller says (sent paced, then silence)
   * @param sendAudio false for a caller whose RTP never arrives (silence suppression)
   * @param pacing where the 20 ms sending ticks run
   * @return the connected caller, id already sent
   */
  public static Mono<AudioSocketCaller> dial(
      InetSocketAddress server, UUID id, Pcm script, boolean sendAudio, Scheduler pacing) {
    return dial(server, id, script, sendAudio, pacing, 0);
  }

  /**
   * Calls the engine with a chosen socket receive buffer (small, to make a stalled reader show
   * quickly).
   *
   * @param server the AudioSocket server
   * @param id the call's id
   * @param script what the caller says (sent paced, then silence)
   * @param sendAudio false for a caller whose RTP never arrives
   * @param pacing where the 20 ms sending ticks run
   * @param receiveBufferBytes the socket receive buffer; 0 for the system default
   * @return the connected caller, id already sent
   */
  public static Mono<AudioSocketCaller> dial(
      InetSocketAddress server,
      UUID id,
      Pcm script,
      boolean sendAudio,
      Scheduler pacing,
      int receiveBufferBytes) {
    AudioSocketEncoder encoder = new AudioSocketEncoder();
    TcpClient client = TcpClient.newConnection();
    if (receiveBufferBytes > 0) {
      client = client.option(ChannelOption.SO_RCVBUF, receiveBufferBytes);
    }
    return client
        .remoteAddress(() -> server)
        .doOnChannelInit(
            (observer, channel, remote) ->
                channel
                    .pipeline()
                    .addFirst("audiosocket-decoder", new AudioSocketDecoder(65535))
                    .addFirst("audiosocket-encoder", encoder))
        .connect()
        .map(
            c -> {
              AudioSocketCaller caller = new AudioSocketCaller(c, id, script);
              caller.start(sendAudio, pacing);
              return caller;
            });
  }

  private void start(boolean sendAudio, Scheduler scheduler) {
    connection.onDispose(
        () -> {
          pacing.dispose();
          closed.tryEmitEmpty();
        });
    connection
        .inbound()
        .receiveObject()
        .ofType(AudioSocketMessage.class)
        .subscribe(this::receive, e -> {});
    connection.channel().writeAndFlush(new AudioSocketMessage.Id(id)).addListener(CLOSE_ON_FAILURE);
    if (sendAudio) {
      pacing = Flux.interval(Duration.ofMillis(20), scheduler).subscribe(tick -> sendNextFrame());
    }
  }

  private void receive(AudioSocketMessage message) {
    ReceivedMessage r = new ReceivedMessage(System.nanoTime(), message);
    received.add(r);
    if (message instanceof AudioSocketMessage.Audio) {
      firstAudio.tryEmitValue(r);
      if (r.isAudible()) {
        synchronized (this) {
          if (audibleCount == audibleAt.length) {
            audibleAt = Arrays.copyOf(audibleAt, 2 * audibleCount);
          }
          audibleAt[audibleCount++] = r.atNanos();
        }
      }
    }
  }

  private void sendNextFrame() {
    Speech now = Objects.requireNonNull(speaking.get());
    short[] all = now.samples();
    int from = now.position().getAndAdd(samplesPerFrame);
    if (from < all.length && from + samplesPerFrame >= all.length) {
      now.sent().tryEmitValue(System.nanoTime());
    }
    short[] noise = Objects.requireNonNull(lineNoise.get());
    byte[] pcm = new byte[samplesPerFrame * 2];
    for (int i = 0; i < samplesPerFrame; i++) {
      int s = from + i < all.length ? all[from + i] : 0;
      if (noise.length > 0) {
        s += noise[(int) (noisePosition++ % noise.length)];
      }
      s = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    connection
        .channel()
        .writeAndFlush(new AudioSocketMessage.Audio(script.sampleRate(), pcm))
        .addListener(CLOSE_ON_FAILURE);
  }

  /**
   * Stops reading from the socket, like a peer that has stalled; the engine's frames pile up in the
   * socket buffers.
   */
  public void stopReading() {
    connection.channel().config().setAutoRead(false);
  }

  /** Returns the call's id. */
  public UUID id() {
    return id;
  }

  /**
   * Presses a key.
   *
   * @param key {@code 0-9 * # A-D}
   */
  public void pressKey(char key) {
    connection
        .channel()
        .writeAndFlush(new AudioSocketMessage.Dtmf(key))
        .addListener(CLOSE_ON_FAILURE);
  }

  /**
   * Says something from the next 20 ms tick on, in place of whatever is left of the script, then
   * silence again: a caller who waits for the engine's reply before asking the next question.
   *
   * @param speech what to say, at the script's sample rate
   */
  public void say(Pcm speech) {
    if (speech.sampleRate() != script.sampleRate()) {
      throw new IllegalArgumentException(
          "speech at " + speech.sampleRate() + " Hz on a " + script.sampleRate() + " Hz call");
    }
    speaking.set(new Speech(speech.samples()));
  }

  /**
   * When the caller finished saying what it says now (the script, or the last {@link #say}): {@link
   * System#nanoTime()} when the frame with its last sample was handed to the socket. What the load
   * test measures a reply's latency from.
   *
   * @return completes with that time once it has passed; never, for a caller that sends no audio or
   *     says nothing
   */
  public Mono<Long> saidAt() {
    return Objects.requireNonNull(speaking.get()).sent().asMono();
  }

  /**
   * Puts the call on a noisy line: from the next frame on, {@code noise}, repeated, is added to
   * everything the caller sends, speech and silence alike.
   *
   * @param noise the line's noise, at the call's sample rate; empty for a quiet line again
   */
  public void lineNoise(Pcm noise) {
    if (noise.sampleRate() != script.sampleRate()) {
      throw new IllegalArgumentException(
          "noise at " + noise.sampleRate() + " Hz on a " + script.sampleRate() + " Hz call");
    }
    lineNoise.set(noise.samples());
  }

  /**
   * The arrival of the first audible frame (a frame with a non-zero sample) after a moment.
   *
   * @param nanos a {@link System#nanoTime()}
   * @return its {@link System#nanoTime()} at arrival, or -1 if none has arrived after {@code nanos}
   */
  public synchronized long firstAudibleAfter(long nanos) {
    int low = 0;
    int high = audibleCount;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (audibleAt[mid] > nanos) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low < audibleCount ? audibleAt[low] : -1;
  }

  /**
   * The arrival of the latest audible frame.
   *
   * @return its {@link System#nanoTime()} at arrival, or -1 before any
   */
  public synchronized long lastAudibleAt() {
    return audibleCount == 0 ? -1 : audibleAt[audibleCount - 1];
  }

  /**
   * Sends bytes as they are, to misbehave on purpose.
   *
   * @param bytes anything
   */
  public void sendRaw(byte[] bytes) {
    connection
        .channel()
        .writeAndFlush(connection.channel().alloc().buffer().writeBytes(bytes))
        .addListener(CLOSE_ON_FAILURE);
  }

  /**
   * Hangs up the way Asterisk does: closes the socket without a hang-up message.
   *
   * @return hangs up when subscribed; completes when the socket is closed
   */
  public Mono<Void> hangUp() {
    return Mono.defer(
        () -> {
          pacing.dispose();
          connection.dispose();
          return closed.asMono();
        });
  }

  /** Returns a signal that completes when the connection is closed, by either side. */
  public Mono<Void> closed() {
    return closed.asMono();
  }

  /** Returns the first audio frame the engine sends, when it arrives. */
  public Mono<ReceivedMessage> firstAudio() {
    return firstAudio.asMono();
  }

  /** Returns whether the connection is still open. */
  public boolean isConnected() {
    return !connection.isDisposed();
  }

  /** Returns everything received so far, in arrival order. */
  public List<ReceivedMessage> received() {
    return List.copyOf(received);
  }

  /** Returns the audio received so far, in arrival order. */
  public List<ReceivedMessage> audio() {
    return received.stream().filter(r -> r.message() instanceof AudioSocketMessage.Audio).toList();
  }

  /** Returns whether the engine sent a hang-up message. */
  public boolean hangupReceived() {
    return received.stream().anyMatch(r -> r.message() instanceof AudioSocketMessage.Hangup);
  }
}
