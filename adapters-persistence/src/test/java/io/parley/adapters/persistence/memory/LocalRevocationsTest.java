package io.parley.adapters.persistence.memory;

import io.parley.application.LocalRevocations;

import io.parley.application.port.out.Revocations;
import io.parley.testkit.RevocationsContract;

/** The in-memory revocations (the core's default, beside this store) keep the contract. */
class LocalRevocationsTest extends RevocationsContract {
    @Override
    protected Revocations newRevocations() {
        return LocalRevocations.create();
    }
}
