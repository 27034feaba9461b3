package voicecall.app.logging;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import reactor.util.context.Context;

/**
 * Puts a call's id into every log line written while that call's streams run, whichever thread they
 * run on. A call's pipeline writes its id into the Reactor context once ({@link #of}); with
 * automatic context propagation ({@code spring.reactor.context-propagation=auto}) Reactor restores
 * it into the logging MDC around each operator, and removes it afterwards, so ids never leak from
 * one call into another call's lines on a shared thread.
 *
 * <p>Registered through {@code META-INF/services/io.micrometer.context.ThreadLocalAccessor}.
 */
public final class CallLogContext implements ThreadLocalAccessor<String> {

  /** The key, both in the Reactor context and in the MDC ({@code %X{callId}} in patterns). */
  public static final String KEY = "callId";

  /**
   * The Reactor context that tags a call's streams with its id.
   *
   * @param callId the call's id
   * @return a context to pass to {@code contextWrite}
   */
  public static Context of(String callId) {
    if (callId.isBlank()) {
      throw new IllegalArgumentException("call id must not be blank");
    }
    return Context.of(KEY, callId);
  }

  @Override
  public Object key() {
    return KEY;
  }

  @Override
  public @Nullable String getValue() {
    return MDC.get(KEY);
  }

  @Override
  public void setValue(String value) {
    MDC.put(KEY, value);
  }

  @Override
  public void setValue() {
    MDC.remove(KEY);
  }
}
