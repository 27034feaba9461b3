package voicecall.app.store;

import io.r2dbc.spi.ConnectionFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs an R2DBC driver that blocks underneath on a scheduler meant for blocking work.
 *
 * <p>r2dbc-h2 is R2DBC on the outside but does H2's file I/O and locking on whichever thread
 * subscribes, which would be a Netty event loop for a web request. This decorator subscribes to
 * every publisher the driver returns (connections, statements, results, transactions) on the given
 * scheduler, so the event loops never wait on the disk. Every SPI object the driver hands out is
 * decorated the same way. MySQL/MariaDB's driver is non-blocking and is not wrapped.
 */
final class OffloadedConnectionFactory {

  private OffloadedConnectionFactory() {}

  /**
   * Decorates a connection factory.
   *
   * @param delegate the blocking driver (or a pool over it)
   * @param scheduler where the driver's work runs; must allow blocking
   * @return a factory whose publishers all subscribe on {@code scheduler}
   */
  static ConnectionFactory wrap(ConnectionFactory delegate, Scheduler scheduler) {
    return (ConnectionFactory) decorate(delegate, scheduler);
  }

  private static Object decorate(Object target, Scheduler scheduler) {
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        collect(i, interfaces);
      }
    }
    return Proxy.newProxyInstance(
        OffloadedConnectionFactory.class.getClassLoader(),
        interfaces.toArray(Class<?>[]::new),
        new Offloading(target, scheduler));
  }

  private static void collect(Class<?> i, Set<Class<?>> into) {
    // Only the SPI's own interfaces: they are public, and they are all callers may rely on.
    if (i.getName().startsWith("io.r2dbc.spi.")) {
      into.add(i);
    }
    for (Class<?> parent : i.getInterfaces()) {
      collect(parent, into);
    }
  }

  private record Offloading(Object target, Scheduler scheduler) implements InvocationHandler {

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args)
        throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> args != null && proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "offloaded(" + target + ")";
        };
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause() != null ? e.getCause() : e;
      }
      if (result == null) {
        return null;
      }
      if (result == target) {
        return proxy;
      }
      if (result instanceof Publisher<?> publisher) {
        return offload(publisher, method.getReturnType());
      }
      Class<?> type = method.getReturnType();
      if (type.isInterface() && type.getName().startsWith("io.r2dbc.spi.")) {
        return decorate(result, scheduler);
      }
      return result;
    }

    private Publisher<?> offload(Publisher<?> publisher, Class<?> declared) {
      if (Mono.class.isAssignableFrom(declared)) {
        return Mono.from(publisher).map(this::decorateValue).subscribeOn(scheduler);
      }
      return Flux.from(publisher).map(this::decorateValue).subscribeOn(scheduler);
    }

    /** Connections and results emitted by the driver are decorated too. */
    private Object decorateValue(Object value) {
      if (value instanceof io.r2dbc.spi.Connection || value instanceof io.r2dbc.spi.Result) {
        return decorate(value, scheduler);
      }
      return value;
    }
  }
}
