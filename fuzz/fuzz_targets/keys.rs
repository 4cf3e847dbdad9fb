//! Fuzzes key input: arbitrary bytes as a key file (PEM, DER, JWK, JWKS) and as an HMAC secret.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(loaded) = jwtctl::keys::parse(data) {
        for key in &loaded.keys {
            // A key that loaded must be usable without panicking.
            let _ = key.thumbprint();
            let _ = jwtctl::verifier::verify_key(key);
            let _ = key.public_jwk();
            let _ = key.public_pem();
        }
    }
    let _ = jwtctl::keys::secret(data.to_vec());
});
