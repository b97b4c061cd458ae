-- Refract language server configuration for Neovim 0.11+ (`:help lsp-config`).
--
-- Picked up automatically by `vim.lsp.config('refract', {...})` / `vim.lsp.enable('refract')`
-- when this plugin is on 'runtimepath'. `require('refract').setup()` merges its options on top.
-- Settings mirror docs/protocol.md ("Settings"); the server reads the `refract` section through
-- workspace/configuration, which Neovim answers from `settings`.

---@type vim.lsp.Config
return {
  cmd = { 'refract', 'serve' },
  filetypes = { 'markdown', 'text', 'gitcommit', 'mail', 'rst', 'tex' },
  root_markers = { '.git', 'pyproject.toml', 'patches' },
  settings = {
    refract = {
      codec = 'embedded', -- the model shipped with Refract
      samples = 4, -- candidates the decoder samples per rewrite, the greedy one first, 1..32
      corrections = 12, -- correction rounds for roundtrip, topic, blend, 0..32
      variations = 8, -- candidates a variations request returns, 1..32
      sentenceSeconds = 1.4, -- seconds a rewrite may take per sentence, decoding included; 0: every round
      patchFolders = {}, -- extra folders searched for style patches
      hover = { enabled = true }, -- readouts on hover (`K`)
      heatmap = { feature = 'sentiment' }, -- default axis or feature for the heat map
    },
  },
}
