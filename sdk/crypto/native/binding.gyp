{
  "targets": [
    {
      "target_name": "tether_aes_gcm",
      "sources": ["aes-gcm.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
