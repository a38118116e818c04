package io.dynstack.agent.weave;

/** A method the weaver cannot handle; its class is then left as it was. */
public final class WeaveException extends RuntimeException {

    public WeaveException(String message) {
        super(message);
    }
}
