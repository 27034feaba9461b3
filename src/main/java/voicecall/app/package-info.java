/** The Spring Boot application that wires the engine to telephony, storage and the admin API. */
@NullMarked
package voicecall.app;

import org.jspecify.annotations.NullMarked;
