-- Minimal, isolated init for the headless tests: only this plugin and Neovim's own runtime.
--   nvim --headless -u tests/minimal_init.lua -l tests/run.lua
local root = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h')
vim.g.refract_root = root

local rtp = { root, vim.env.VIMRUNTIME }
local lib = vim.fn.fnamemodify(vim.v.progpath, ':p:h:h') .. '/lib/nvim' -- bundled treesitter parsers
if vim.fn.isdirectory(lib) == 1 then
  rtp[#rtp + 1] = lib
end
vim.opt.runtimepath = rtp
vim.opt.packpath = { vim.env.VIMRUNTIME }
vim.o.swapfile = false
vim.o.shadafile = 'NONE'
vim.o.more = false
vim.cmd('filetype plugin on')

require('refract').setup({})
