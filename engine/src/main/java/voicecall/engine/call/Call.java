package voicecall.engine.call;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import voicecall.engine.audio.AudioFrame;
import voicecall.engine.audio.Tones;

/**
 * One phone call as streams. The telephony adapter feeds it ({@link #receiveAudio}, {@link
 * #receiveDtmf}, {@link #end}); the call pipeline reads {@link #inbound()} and {@link #dtmf()},
 * speaks through {@link #play}, stops speaking with {@link #clearOutbound()} (barge-in) and ends
 * the call with {@link #hangUp()}. Everything completes when the call ends, so a pipeline built
 * with {@code takeUntilOther(call.ended())} releases all its resources.
 *
 * <p>Nothing here blocks; every method is safe to call from any thread. A slow consumer of {@link
 * #inbound()} loses audio frames rather than slowing the socket (live audio cannot wait).
 */
public final class Call {

  /** Length of one outbound frame: what the frame clock sends per tick. */
  public static final int FRAME_MILLIS = 20;

  /** Default outbound queue bound, in 20 ms frames (half a second). */
  public static final int DEFAULT_OUTBOUND_FRAMES = 25;

  private static final Logger log = LoggerFactory.getLogger(Call.class);

  /** How long {@link #end} spins when an inbound frame or key is being emitted at that moment. */
  private final String id;

  private final String language;
  private final int sampleRate;
  private final LatencyMarks marks;
  private final OutboundAudio outbound;
  private final AudioFrame silence;
  private final Sinks.Many<AudioFrame> inbound = Sinks.many().multicast().directBestEffort();
  private final Sinks.Many<Character> dtmf = Sinks.many().multicast().onBackpressureBuffer(64);
  private final Sinks.One<HangupCause> ended = Sinks.one();
  private final Sinks.One<TransferRequest> transfer = Sinks.one();
  private final AtomicBoolean ending = new AtomicBoolean();
  private volatile boolean active = true;

  private Call(String id, String language, int sampleRate, int outboundFrames, Scheduler clock) {
    if (id.isBlank()) {
      throw new IllegalArgumentException("call id must not be blank");
    }
    if (sampleRate != 8000 && sampleRate != 16000) {
      throw new IllegalArgumentException("a call runs at 8000 or 16000 Hz, not " + sampleRate);
    }
    this.id = id;
    this.language = language;
    this.sampleRate = sampleRate;
    this.marks = new LatencyMarks(clock);
    this.outbound = new OutboundAudio(outboundFrames, sampleRate, FRAME_MILLIS);
    this.silence = AudioFrame.silence(sampleRate, FRAME_MILLIS, 0);
  }

  /**
   * Opens a call with the default outbound bound.
   *
   * @param id the call's id (AudioSocket UUID, channel id), used in every log line
   * @param language BCP 47 tag of the line's language, e.g. {@code ko} or {@code en}
   * @param sampleRate 8000 or 16000
   * @param clock where latency marks read the time (the frame clock's scheduler)
   * @return the call, active until {@link #end} or {@link #hangUp()}
   */
  public static Call open(String id, String language, int sampleRate, Scheduler clock) {
    return new Call(id, language, sampleRate, DEFAULT_OUTBOUND_FRAMES, clock);
  }

  /**
   * Opens a call with an explicit outbound bound.
   *
   * @param id the call's id
   * @param language the line's language
   * @param sampleRate 8000 or 16000
   * @param outboundFrames how many 20 ms frames may wait in the outbound queue (at least 1)
   * @param clock where latency marks read the time
   * @return the call
   */
  public static Call open(
      String id, String language, int sampleRate, int outboundFrames, Scheduler clock) {
    return new Call(id, language, sampleRate, outboundFrames, clock);
  }

  /** Returns the call's id. */
  public String id() {
    return id;
  }

  /** Returns the line's language tag. */
  public String language() {
    return language;
  }

  /** Returns the call's audio sample rate, both directions. */
  public int sampleRate() {
    return sampleRate;
  }

  /** Returns this call's latency marks. */
  public LatencyMarks marks() {
    return marks;
  }

  /**
   * The caller's audio as it arrives: frames of any length (usually 20 or 30 ms) with gaps when
   * nothing is sent. Hot: a subscriber sees frames from when it subscribes. Completes when the call
   * ends.
   *
   * @return the inbound frames
   */
  public Flux<AudioFrame> inbound() {
    return inbound.asFlux();
  }

  /**
   * DTMF keys the caller pressed; keys pressed before the first subscriber are kept (up to 64).
   * Completes when the call ends.
   *
   * @return the keys, {@code 0-9 * # A-D}
   */
  public Flux<Character> dtmf() {
    return dtmf.asFlux();
  }

  /**
   * Completes with the cause once the call has ended, however it ended.
   *
   * @return the hang-up signal
   */
  public Mono<HangupCause> ended() {
    return ended.asMono();
  }

  /** Returns true until the call has ended. */
  public boolean isActive() {
    return active;
  }

  /**
   * Queues audio to be spoken after whatever is already queued. Frames must be at the call's sample
   * rate; frames longer than 20 ms are cut into 20 ms frames (the last padded with silence). The
   * source is pulled only as fast as the frame clock plays it.
   *
   * @param frames the audio
   * @return completes when the last frame has been handed to the transport, or at once when the
   *     playback is cleared or the call has ended; errors when a frame has the wrong sample rate.
   *     Completion is signalled on the frame clock's thread: move heavy work elsewhere.
   */
  public Mono<Void> play(Publisher<AudioFrame> frames) {
    return outbound.play(frames);
  }

  /**
   * Plays raw samples at the call's rate.
   *
   * @param pcm 16-bit samples at {@link #sampleRate()}
   * @return as {@link #play(Publisher)}
   */
  public Mono<Void> play(short[] pcm) {
    return play(Flux.fromIterable(AudioFrame.split(pcm, sampleRate, FRAME_MILLIS, 0)));
  }

  /**
   * Plays a DTMF tone for a key, as confirmation to the caller.
   *
   * @param key the key
   * @param durationMillis how long
   * @return as {@link #play(Publisher)}
   */
  public Mono<Void> playDtmf(char key, int durationMillis) {
    return play(Tones.dtmf(key, sampleRate, durationMillis));
  }

  /**
   * Stops speaking: drops every queued frame and playback; the next tick sends silence. Playbacks
   * that were queued complete.
   */
  public void clearOutbound() {
    outbound.clear();
  }

  /** Returns how many 20 ms frames wait in the outbound queue. */
  public int queuedOutboundFrames() {
    return outbound.queuedFrames();
  }

  /** Ends the call from the engine's side: the adapter then sends a hang-up and closes. */
  public void hangUp() {
    end(HangupCause.ENGINE);
  }

  /**
   * Ends the media leg so that a person can take the caller over: the call ends with {@link
   * HangupCause#TRANSFER} and {@link #transferRequested()} emits the request, for the adapter that
   * owns the call to move the caller on. Does nothing when the call has already ended.
   *
   * @param request what the agent should see; its call id must be this call's
   * @return true when this ended the call, false when it had already ended
   * @throws IllegalArgumentException when the request names another call
   */
  public boolean transfer(TransferRequest request) {
    if (!request.callId().equals(id)) {
      throw new IllegalArgumentException(
          "transfer request for call " + request.callId() + " given to call " + id);
    }
    return finish(HangupCause.TRANSFER, request);
  }

  /**
   * The transfer the engine asked for, once the call has ended: emits the request when the call
   * ended with {@link #transfer}, completes empty when it ended any other way. Replays to late
   * subscribers.
   *
   * @return the request, if any
   */
  public Mono<TransferRequest> transferRequested() {
    return transfer.asMono();
  }

  /**
   * Hands one inbound frame to the call. For the adapter.
   *
   * @param frame audio at the call's rate
   * @return false when the call has ended or nobody was ready to take the frame
   */
  public boolean receiveAudio(AudioFrame frame) {
    if (frame.sampleRate() != sampleRate) {
      throw new IllegalArgumentException(
          "call " + id + " runs at " + sampleRate + " Hz, got " + frame.sampleRate() + " Hz");
    }
    boolean delivered = inbound.tryEmitNext(frame).isSuccess();
    if (!active) {
      // the call ended while this frame was delivered, when its end could not complete the stream
      inbound.tryEmitComplete();
    }
    return delivered;
  }

  /**
   * Hands one DTMF key to the call. For the adapter.
   *
   * @param key the key
   * @throws IllegalArgumentException when it is not a DTMF key
   */
  public void receiveDtmf(char key) {
    if (!Tones.isDtmfKey(key)) {
      throw new IllegalArgumentException("'" + key + "' is not a DTMF key");
    }
    Sinks.EmitResult r = dtmf.tryEmitNext(Character.toUpperCase(key));
    if (!active) {
      dtmf.tryEmitComplete(); // as in receiveAudio
    } else if (r.isFailure()) {
      log.warn("call {}: DTMF key {} dropped: {}", id, key, r);
    }
  }

  /**
   * Ends the call; only the first cause counts. Completes the inbound streams, drops queued audio
   * and fires {@link #ended()}.
   *
   * @param cause why
   */
  public void end(HangupCause cause) {
    finish(cause, null);
  }

  private boolean finish(HangupCause cause, @Nullable TransferRequest request) {
    if (!ending.compareAndSet(false, true)) {
      return false;
    }
    // the request is out before the end is announced, so whoever sees TRANSFER can read it
    if (request == null) {
      transfer.tryEmitEmpty();
    } else {
      transfer.tryEmitValue(request);
    }
    if (ended.tryEmitValue(cause).isSuccess()) {
      active = false;
      MDC.put("callId", id);
      try {
        log.info("call ended: {}", cause);
      } finally {
        MDC.remove("callId");
      }
      outbound.close();
      // If the adapter is delivering a frame or key right now, completing fails as not serialised;
      // the delivering thread then completes the stream itself once its delivery returns, because
      // it sees the call inactive (set above). No waiting, no spinning here.
      inbound.tryEmitComplete();
      dtmf.tryEmitComplete();
    }
    return true;
  }

  /** The frame the clock sends now: queued audio, or silence when nothing is queued. */
  AudioFrame nextOutboundFrame() {
    AudioFrame f = outbound.poll();
    return f == null ? silence : f;
  }

  @SuppressWarnings("ReferenceEquality") // the shared silence frame is recognised by identity
  boolean isSilence(AudioFrame frame) {
    return frame == silence;
  }

  @Override
  public String toString() {
    return "Call[" + id + ", " + language + ", " + sampleRate + " Hz]";
  }
}
