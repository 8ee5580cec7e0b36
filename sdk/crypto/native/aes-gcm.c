// AES-256-GCM with a key schedule kept between frames: OpenSSL's EVP cipher (the one node:crypto
// uses, exported by the node binary), initialised with the key once and then only given a new
// nonce per frame. node:crypto makes and frees a whole cipher context for every frame, which
// costs far more than sealing a small frame. Nothing here chooses nonces: the caller does.
#include <string.h>
#include <node_api.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#define KEY_BYTES 32
#define NONCE_BYTES 12
#define TAG_BYTES 16
#define MAX_PARTS 16

typedef struct {
  const unsigned char* data;
  size_t length;
} bytes_t;

static void free_context(napi_env env, void* data, void* hint) {
  (void)env;
  (void)hint;
  EVP_CIPHER_CTX_free((EVP_CIPHER_CTX*)data);
}

static napi_value fail(napi_env env, const char* message) {
  ERR_clear_error();
  napi_throw_error(env, "TETHER_E_NATIVE_GCM", message);
  return NULL;
}

// The bytes of a Uint8Array (a Buffer is one); any other value is refused.
static int view_bytes(napi_env env, napi_value value, bytes_t* out) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  napi_typedarray_type type;
  size_t count = 0;
  void* data = NULL;
  if (napi_get_typedarray_info(env, value, &type, &count, &data, NULL, NULL) != napi_ok) return 0;
  if (type != napi_uint8_array) return 0;
  out->data = (const unsigned char*)data;
  out->length = count;
  return 1;
}

static EVP_CIPHER_CTX* context_of(napi_env env, napi_value value) {
  void* data = NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return (EVP_CIPHER_CTX*)data;
}

// createContext(key): an external holding a context keyed with the 32-byte `key`.
static napi_value create_context(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  bytes_t key;
  if (argc < 1 || !view_bytes(env, argv[0], &key) || key.length != KEY_BYTES) {
    return fail(env, "an AES-256-GCM key is 32 bytes");
  }
  EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
  if (context == NULL) return fail(env, "no memory for a cipher context");
  if (EVP_CipherInit_ex(context, EVP_aes_256_gcm(), NULL, key.data, NULL, 1) != 1) {
    EVP_CIPHER_CTX_free(context);
    return fail(env, "the cipher context did not take the key");
  }
  napi_value external;
  if (napi_create_external(env, context, free_context, NULL, &external) != napi_ok) {
    EVP_CIPHER_CTX_free(context);
    return fail(env, "could not hold the cipher context");
  }
  return external;
}

// Starts one frame: the nonce, the direction (1 seal, 0 open) and the associated data.
static int start_frame(EVP_CIPHER_CTX* context, bytes_t nonce, bytes_t aad, int encrypt) {
  int written = 0;
  if (EVP_CipherInit_ex(context, NULL, NULL, NULL, nonce.data, encrypt) != 1) return 0;
  if (aad.length == 0) return 1;
  return EVP_CipherUpdate(context, NULL, &written, aad.data, (int)aad.length) == 1;
}

// The plaintext parts: one Uint8Array, or an array of them (sealed as their concatenation).
static int plaintext_parts(napi_env env, napi_value value, bytes_t* parts, uint32_t* count) {
  bool is_array = false;
  napi_is_array(env, value, &is_array);
  if (!is_array) {
    *count = 1;
    return view_bytes(env, value, &parts[0]);
  }
  if (napi_get_array_length(env, value, count) != napi_ok || *count > MAX_PARTS) return 0;
  for (uint32_t i = 0; i < *count; i++) {
    napi_value part;
    if (napi_get_element(env, value, i, &part) != napi_ok) return 0;
    if (!view_bytes(env, part, &parts[i])) return 0;
  }
  return 1;
}

// Seals the parts as one plaintext into `at`: ciphertext, then the tag. Returns 1 on success.
static int seal_into(EVP_CIPHER_CTX* context, bytes_t nonce, bytes_t aad, const bytes_t* parts,
                     uint32_t count, unsigned char* at) {
  if (!start_frame(context, nonce, aad, 1)) return 0;
  for (uint32_t i = 0; i < count; i++) {
    int written = 0;
    if (EVP_CipherUpdate(context, at, &written, parts[i].data, (int)parts[i].length) != 1) return 0;
    at += written;
  }
  int tail = 0;
  if (EVP_CipherFinal_ex(context, at, &tail) != 1) return 0;
  return EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, at + tail) == 1;
}

// seal(context, nonce, aad, plaintext, out, offset): writes ciphertext ‖ tag into `out` from
// `offset`.
static napi_value seal(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  EVP_CIPHER_CTX* context = argc == 6 ? context_of(env, argv[0]) : NULL;
  bytes_t nonce, aad, out, parts[MAX_PARTS];
  uint32_t count = 0, offset = 0;
  if (context == NULL || !view_bytes(env, argv[1], &nonce) || nonce.length != NONCE_BYTES ||
      !view_bytes(env, argv[2], &aad) || !plaintext_parts(env, argv[3], parts, &count) ||
      !view_bytes(env, argv[4], &out) || napi_get_value_uint32(env, argv[5], &offset) != napi_ok) {
    return fail(env, "seal takes a context, a 12-byte nonce, AAD, plaintext, out and offset");
  }
  size_t total = 0;
  for (uint32_t i = 0; i < count; i++) total += parts[i].length;
  if ((size_t)offset > out.length || out.length - offset < total + TAG_BYTES || total > INT32_MAX) {
    return fail(env, "the output buffer is too small");
  }
  if (!seal_into(context, nonce, aad, parts, count, (unsigned char*)out.data + offset)) {
    return fail(env, "sealing failed");
  }
  return NULL;
}

// open(context, nonce, aad, sealed, out): true when `sealed` (ciphertext ‖ tag) authenticates;
// its plaintext is then in `out`. When it does not, `out` is wiped and the result is false.
static napi_value open_frame(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  EVP_CIPHER_CTX* context = argc == 5 ? context_of(env, argv[0]) : NULL;
  bytes_t nonce, aad, sealed, out;
  if (context == NULL || !view_bytes(env, argv[1], &nonce) || nonce.length != NONCE_BYTES ||
      !view_bytes(env, argv[2], &aad) || !view_bytes(env, argv[3], &sealed) ||
      !view_bytes(env, argv[4], &out)) {
    return fail(env, "open takes a context, a 12-byte nonce, AAD, the sealed bytes and out");
  }
  if (sealed.length < TAG_BYTES || out.length != sealed.length - TAG_BYTES ||
      out.length > INT32_MAX) {
    return fail(env, "the output buffer must be as long as the ciphertext");
  }
  size_t length = out.length;
  unsigned char* plain = (unsigned char*)out.data;
  unsigned char tag[TAG_BYTES];
  memcpy(tag, sealed.data + length, TAG_BYTES);
  int written = 0, tail = 0;
  int ok = start_frame(context, nonce, aad, 0) &&
           EVP_CipherUpdate(context, plain, &written, sealed.data, (int)length) == 1 &&
           EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, tag) == 1 &&
           EVP_CipherFinal_ex(context, plain + written, &tail) == 1;
  if (!ok) {
    OPENSSL_cleanse(plain, length);
    ERR_clear_error();
  }
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"createContext", NULL, create_context, NULL, NULL, NULL, napi_default, NULL},
      {"seal", NULL, seal, NULL, NULL, NULL, napi_default, NULL},
      {"open", NULL, open_frame, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 3, properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
