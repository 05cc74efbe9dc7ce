package io.github.idempotency.internal.claim;

import io.github.idempotency.internal.fingerprint.Sha256;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StorageKeysTests {

	private final StorageKeys keys = new StorageKeys("idempotency");

	@Test
	void storageKeyIsThePrefixAndAHashOnly() {
		assertThat(this.keys.storageKey("", "{slot}\r\n key*")).matches("idempotency:[A-Za-z0-9_-]{22}");
	}

	@Test
	void hashIsTheFirst128BitsOfTheSha256OfScopeAndKeyInBase64Url() {
		assertThat(this.keys.storageKey("", "k")).isEqualTo("idempotency:" + java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(
					java.util.HexFormat.of().parseHex(Sha256.create().field("").field("k").hex().substring(0, 32))));
	}

	@Test
	void sameClientKeyInTwoScopesGivesTwoStorageKeys() {
		assertThat(this.keys.storageKey("principal:alice", "k"))
			.isNotEqualTo(this.keys.storageKey("principal:bob", "k"))
			.isNotEqualTo(this.keys.storageKey("", "k"));
	}

	@Test
	void scopeAndKeyCannotBeShiftedIntoEachOther() {
		assertThat(this.keys.storageKey("ab", "c")).isNotEqualTo(this.keys.storageKey("a", "bc"));
	}

	@Test
	void sameInputsGiveTheSameStorageKey() {
		assertThat(this.keys.storageKey("s", "k")).isEqualTo(this.keys.storageKey("s", "k"));
	}

}
