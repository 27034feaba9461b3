package voicecall.app.telephony;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import voicecall.engine.call.Call;

/**
 * The live calls by id (the AudioSocket UUID, which the AGI session and ARI channel share). A call
 * leaves as soon as it ends, so the registry never outgrows the calls in progress.
 */
public final class CallRegistry {

  private final Map<String, Call> calls = new ConcurrentHashMap<>();

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
  }

  /**
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
