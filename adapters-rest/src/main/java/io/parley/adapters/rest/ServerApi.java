package io.parley.adapters.rest;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.adapters.rest.ServerKeys.Scope;
import io.parley.application.port.in.Converse;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.ManageRooms;
import io.parley.application.port.in.ManageUsers;
import io.parley.application.port.in.SendMessage;
import io.parley.application.port.in.SendResult;
import io.parley.domain.ErrorCode;
import io.parley.domain.Member;
import io.parley.domain.ParleyException;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.wire.HttpStatuses;
import io.parley.wire.ProtocolCodec;
import io.parley.wire.ServerRequests;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The server API under {@code /v1/server}: what the product's backend does without a user's token —
 * make sure a room exists (by an id of its own, such as a deal's), change its settings, add and remove
 * members in bulk, post as a member, read history, members and presence. Authenticated by an API key
 * ({@link ServerKeys}) with the scope each endpoint names, never from a browser (a request with an
 * {@code Origin} header is refused). It acts through the same use cases as users do, as the room's owner or
 * as the member it posts for, so the same rules, limits and decision hooks apply, and errors have the same
 * codes and statuses. docs/protocol.md, "Server API", has every endpoint.
 */
public final class ServerApi implements HttpService {
    private static final System.Logger LOG = System.getLogger(ServerApi.class.getName());
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");

    private final ManageRooms rooms;
    private final Converse converse;
    private final ManageUsers users;
    private final ServerKeys keys;
    private final ProtocolCodec codec;
    private final Clock clock;
    private final Predicate<String> admitKey;

    private ServerApi(ManageRooms rooms, Converse converse, ManageUsers users, ServerKeys keys, ProtocolCodec codec,
                      Clock clock, Predicate<String> admitKey) {
        this.admitKey = admitKey;
        this.rooms = rooms;
        this.converse = converse;
        this.users = users;
        this.clock = clock;
        this.keys = keys;
        this.codec = codec;
    }

    /**
     * @param rooms    room use cases
     * @param converse message use cases
     * @param users    disconnects and revocations
     * @param keys     the API keys accepted
     * @param codec    JSON codec
     * @param clock    the time a revocation without {@code before} takes effect
     * @param admitKey asked with the key's id once per authenticated request: false refuses it with
     *                 {@code rate_limited} (429, {@code Retry-After: 1}); the server's is a token bucket per key
     * @return the service; register it at {@code /v1/server}
     */
    public static ServerApi create(ManageRooms rooms, Converse converse, ManageUsers users, ServerKeys keys,
                                   ProtocolCodec codec, Clock clock, Predicate<String> admitKey) {
        return new ServerApi(rooms, converse, users, keys, codec, clock, admitKey);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put("/rooms/{room}", (req, res) -> handle(req, res, Scope.ROOMS, this::ensureRoom))
                .patch("/rooms/{room}", (req, res) -> handle(req, res, Scope.ROOMS, (r, s) -> {
                    Optional<RoomEvent> event = rooms.update(owner(RestApi.room(r)), RestApi.room(r),
                            codec.decodeRoomChange(body(r, s)));
                    if (event.isPresent()) {
                        RestApi.json(s, 200, codec.encodeEvent(event.get()));
                    } else {
                        s.status(Status.NO_CONTENT_204).send();
                    }
                }))
                .delete("/rooms/{room}", (req, res) -> handle(req, res, Scope.ROOMS, (r, s) -> RestApi.json(s, 200,
                        codec.encodeEvent(rooms.delete(owner(RestApi.room(r)), RestApi.room(r))))))
                .post("/rooms/{room}/members", (req, res) -> handle(req, res, Scope.ROOMS, this::changeMembers))
                .get("/rooms/{room}/members", (req, res) -> handle(req, res, Scope.READ, (r, s) -> {
                    RoomId room = RestApi.room(r);
                    User owner = owner(room);
                    List<Member> members = rooms.members(owner, room);
                    RestApi.json(s, 200, codec.encodeMembers(members, rooms.displayNames(owner,
                            members.stream().map(Member::user).toList())));
                }))
                .post("/rooms/{room}/messages", (req, res) -> handle(req, res, Scope.MESSAGES, this::post))
                .get("/rooms/{room}/messages", (req, res) -> handle(req, res, Scope.READ, (r, s) ->
                        RestApi.json(s, 200, codec.encodeHistory(converse.history(owner(RestApi.room(r)),
                                RestApi.room(r), RestApi.historyQuery(r))))))
                .get("/rooms/{room}/presence", (req, res) -> handle(req, res, Scope.READ, (r, s) ->
                        RestApi.json(s, 200, codec.encodePresence(rooms.presence(owner(RestApi.room(r)),
                                RestApi.room(r))))))
                .post("/users/{user}/disconnect", (req, res) -> handle(req, res, Scope.USERS, (r, s) -> {
                    users.disconnect(user(r));
                    s.status(Status.NO_CONTENT_204).send();
                }))
                .post("/users/{user}/revoke", (req, res) -> handle(req, res, Scope.USERS, (r, s) -> {
                    UserId user = user(r);
                    // iat is in whole seconds: "now" is this second, so a token issued after the call is taken
                    Instant before = codec.decodeRevoke(body(r, s))
                            .orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.SECONDS));
                    RestApi.json(s, 200, codec.encodeRevoked(user, users.revoke(user, before)));
                }));
    }

    private static UserId user(ServerRequest req) {
        return UserId.of(req.path().pathParameters().get("user"));
    }

    private void ensureRoom(ServerRequest req, ServerResponse res) {
        ServerRequests.EnsureRoom body = codec.decodeEnsureRoom(body(req, res));
        ManageRooms.RoomEnsured ensured = rooms.ensure(new User(body.owner(), body.owner().value()),
                RestApi.room(req), new CreateRoom(body.room().name(), body.room().visibility(), body.room().members()));
        if (ensured.created()) {
            res.header(HeaderNames.LOCATION, "/v1/server/rooms/" + ensured.view().room().id().value());
        }
        RestApi.json(res, ensured.created() ? 201 : 200,
                codec.encodeRoom(ensured.view().room(), ensured.view().lastSeq()));
    }

    /** Adds, then removes, in the order given; stops at the first refusal (what was done before it stays). */
    private void changeMembers(ServerRequest req, ServerResponse res) {
        RoomId room = RestApi.room(req);
        ServerRequests.MembersChange change = codec.decodeMembersChange(body(req, res));
        User owner = owner(room);
        List<RoomEvent> events = new ArrayList<>();
        for (UserId user : change.add()) {
            rooms.addMember(owner, room, user).ifPresent(events::add);
        }
        for (UserId user : change.remove()) {
            rooms.removeMember(owner, room, user).ifPresent(events::add);
        }
        RestApi.json(res, 200, codec.encodeEvents(events));
    }

    private void post(ServerRequest req, ServerResponse res) {
        ServerRequests.Post post = codec.decodeServerPost(body(req, res));
        Optional<String> key = idempotencyKey(req, post.clientId());
        SendResult sent = post.as().isSystem()
                ? converse.announce(RestApi.room(req), post.body(), post.name().orElse("System"), key,
                        post.mentions())
                : converse.send(new User(post.as(), post.name().orElse(post.as().value())),
                        new SendMessage(RestApi.room(req), post.body(), key, Optional.empty(), Optional.empty(),
                                post.mentions()));
        RestApi.json(res, sent.retry() ? 200 : 201, codec.encodeMessage(sent.message()));
    }

    /**
     * The post's idempotency key: {@code client_id} in the body, or the {@code Idempotency-Key} header (the
     * name HTTP clients and API gateways use); both given, they must agree.
     */
    private static Optional<String> idempotencyKey(ServerRequest req, Optional<String> clientId) {
        Optional<String> header = req.headers().first(IDEMPOTENCY_KEY).map(String::strip).filter(k -> !k.isEmpty());
        if (header.isPresent() && clientId.isPresent() && !header.equals(clientId)) {
            throw ParleyException.invalid("Idempotency-Key and client_id differ: send one, or the same in both");
        }
        return clientId.or(() -> header);
    }

    /** The room's owner, in whose name the backend manages it. */
    private User owner(RoomId room) {
        Room found = rooms.existing(room);
        return new User(found.owner(), found.owner().value());
    }

    private String body(ServerRequest req, ServerResponse res) {
        return RestApi.body(req, res, e -> error(res, e));
    }

    private void handle(ServerRequest req, ServerResponse res, Scope scope, Endpoint endpoint) {
        try {
            if (req.headers().first(HeaderNames.ORIGIN).isPresent()) {
                throw ParleyException.forbidden("the server API takes no requests from browsers: call it from "
                        + "your backend, with an API key");
            }
            ServerKeys.Key key = keys.authenticate(req.headers().first(HeaderNames.AUTHORIZATION), scope);
            if (!admitKey.test(key.id())) {
                throw new ParleyException(ErrorCode.RATE_LIMITED, "too many requests with this API key: slow down");
            }
        } catch (ParleyException e) {
            error(res, e);
            return;
        }
        try {
            endpoint.serve(req, res);
        } catch (CloseConnectionException e) {
            throw e;
        } catch (ParleyException e) {
            error(res, e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "server API " + req.prologue().method().text() + " "
                    + req.path().path() + " failed", e);
            RestApi.json(res, 500, codec.encodeError(ErrorCode.INTERNAL.wireName(), "internal error"));
        }
    }

    private void error(ServerResponse res, ParleyException e) {
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        } else if (e.code() == ErrorCode.RATE_LIMITED) {
            res.header(HeaderNames.RETRY_AFTER, "1");
        }
        RestApi.json(res, HttpStatuses.of(e.code()), codec.encodeError(e.code().wireName(), e.getMessage()));
    }

    @FunctionalInterface
    private interface Endpoint {
        void serve(ServerRequest req, ServerResponse res);
    }
}
