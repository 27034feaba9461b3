package voicecall.app.telephony;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import voicecall.engine.call.Call;
import voicecall.engine.call.TransferRequest;

/**
 * The live calls by id (the AudioSocket UUID, which the AGI session and ARI channel share). A call
 * leaves as soon as it ends, so the registry never outgrows the calls in progress.
 */
public final class CallRegistry {

  /**
   * A new random (version 4) call id. Uses {@link ThreadLocalRandom}, not {@code SecureRandom} like
   * {@link UUID#randomUUID()}, which may block on an event loop; call ids correlate sockets, they
   * are not secrets.
   *
   * @return the id
   */
  public static UUID newCallId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(msb, lsb);
  }

  private static final Logger log = LoggerFactory.getLogger(CallRegistry.class);

  private final Map<String, Call> calls = new ConcurrentHashMap<>();
  private final Map<String, String> expected = new ConcurrentHashMap<>();
  private final Map<String, CallOrigin> origins = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<BiConsumer<Call, CallOrigin>> listeners =
      new CopyOnWriteArrayList<>();
  private final Map<String, TransferRequest> transfers = new ConcurrentHashMap<>();

  /**
   * Announces a call whose media will arrive under this id (a FastAGI session or ARI channel has
   * just told Asterisk to open the AudioSocket leg), with the channel's language.
   *
   * @param id the UUID the media connection will send
   * @param language the channel's language tag
   * @return dispose to withdraw the announcement (when the control session ends); a transfer
   *     request nobody took is dropped with it
   */
  public Disposable expect(String id, String language) {
    expected.put(id, language);
    return () -> {
      expected.remove(id, language);
      transfers.remove(id);
    };
  }

  /**
   * Takes the transfer request of a call that ended asking for a person, for the control session
   * (FastAGI, ARI) that announced the call and now moves the caller on. Requests are kept only for
   * announced calls, until taken or until the announcement is withdrawn.
   *
   * @param id a call id
   * @return the request, once
   */
  public Optional<TransferRequest> takeTransfer(String id) {
    return Optional.ofNullable(transfers.remove(id));
  }

  /**
   * Announces a call as {@link #expect(String, String)} does, with the Asterisk ids the control
   * session knows, so the call's record can name them.
   *
   * @param id the UUID the media connection will send
   * @param language the channel's language tag
   * @param origin the adapter and Asterisk channel of the call
   * @return dispose to withdraw the announcement
   */
  public Disposable expect(String id, String language, CallOrigin origin) {
    Disposable announced = expect(id, language);
    origins.put(id, origin);
    return () -> {
      announced.dispose();
      origins.remove(id, origin);
    };
  }

  /**
   * Tells a listener about every call that connects from now on, with its origin, on the thread
   * that connects it (an event loop): the listener must be quick and must not block. A listener
   * that throws is logged and does not stop the call.
   *
   * @param listener told the call and where it came from
   * @return dispose to stop listening
   */
  public Disposable onConnect(BiConsumer<Call, CallOrigin> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * The language a control session announced for a call id.
   *
   * @param id a call id
   * @return the language, if announced
   */
  public Optional<String> expectedLanguage(String id) {
    return Optional.ofNullable(expected.get(id));
  }

  /** Returns how many announced calls are waiting or running. */
  public int expectedCount() {
    return expected.size();
  }

  /**
   * Adds a call until it ends.
   *
   * @param call the call
   * @throws IllegalStateException when a live call already has that id
   */
  public void register(Call call) {
    if (calls.putIfAbsent(call.id(), call) != null) {
      throw new IllegalStateException("a call with id " + call.id() + " is already connected");
    }
    call.ended().subscribe(cause -> calls.remove(call.id(), call));
    CallOrigin origin = origins.getOrDefault(call.id(), CallOrigin.AUDIOSOCKET);
    for (BiConsumer<Call, CallOrigin> listener : listeners) {
      try {
        listener.accept(call, origin);
      } catch (RuntimeException e) {
        log.warn("call {}: a connect listener failed", call.id(), e);
      }
    }
    call.transferRequested().subscribe(this::hold);
  }

  /** Keeps a request for the control session that owns the call; plain calls have none. */
  private void hold(TransferRequest request) {
    String id = request.callId();
    if (expected.containsKey(id)) {
      transfers.put(id, request);
      if (!expected.containsKey(id)) {
        transfers.remove(id); // the session went away meanwhile: nobody will take it
      }
    }
  }

  /**
   * Looks up a live call.
   *
   * @param id a call id
   * @return the live call with that id
   */
  public Optional<Call> find(String id) {
    return Optional.ofNullable(calls.get(id));
  }

  /** Returns how many calls are live. */
  public int size() {
    return calls.size();
  }
}
