-- `:checkhealth refract`
local M = {}

local health = vim.health

--- The buffer the writer was in before :checkhealth opened its own.
local function writer_buffer()
  local alt = vim.fn.bufnr('#')
  if alt > 0 and vim.api.nvim_buf_is_valid(alt) and vim.bo[alt].filetype ~= 'checkhealth' then
    return alt
  end
  return vim.api.nvim_get_current_buf()
end

function M.check()
  health.start('Neovim')
  local v = vim.version()
  local version = ('%d.%d.%d'):format(v.major, v.minor, v.patch)
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim ' .. version)
  else
    health.error('Neovim ' .. version .. ' is too old', 'Refract needs Neovim 0.11 or newer (vim.lsp.config)')
  end

  health.start('Refract server')
  local config = vim.lsp.config and vim.lsp.config.refract or nil
  local cmd = (type(config) == 'table' and type(config.cmd) == 'table') and config.cmd or { 'refract', 'serve' }
  local exe = cmd[1]
  if vim.fn.executable(exe) == 1 then
    health.ok(('`%s` found: %s'):format(exe, vim.fn.exepath(exe)))
    local ok, out = pcall(function()
      return vim.system({ exe, '--version' }, { text = true }):wait(15000)
    end)
    if ok and out and out.code == 0 then
      health.ok(('`%s --version`: %s'):format(exe, vim.trim(out.stdout or '')))
    else
      local msg = ok and out and vim.trim((out.stderr or '') .. (out.stdout or '')) or tostring(out)
      health.warn(('`%s --version` failed: %s'):format(exe, msg))
    end
  else
    health.error(
      ('`%s` is not executable or not on $PATH'):format(exe),
      { 'Install Refract (pip install -e /path/to/refract)', "or set `cmd` in require('refract').setup()" }
    )
  end
  if type(config) == 'table' and config.filetypes then
    health.info('filetypes: ' .. table.concat(config.filetypes, ', '))
  end
  if vim.lsp.is_enabled and not vim.lsp.is_enabled('refract') then
    health.warn("the `refract` LSP config is not enabled", "call require('refract').setup() or vim.lsp.enable('refract')")
  end

  health.start('Clients')
  local bufnr = writer_buffer()
  local attached = vim.lsp.get_clients({ bufnr = bufnr, name = 'refract' })[1]
  local name = vim.api.nvim_buf_get_name(bufnr)
  name = name ~= '' and vim.fn.fnamemodify(name, ':~:.') or ('[buffer ' .. bufnr .. ']')
  if attached then
    health.ok(('client %d attached to %s (root: %s, position encoding: %s)'):format(
      attached.id,
      name,
      attached.root_dir or 'none (single file)',
      attached.offset_encoding
    ))
  else
    health.info(('no Refract client attached to %s (filetype %q)'):format(name, vim.bo[bufnr].filetype))
  end
  for _, client in ipairs(vim.lsp.get_clients({ name = 'refract' })) do
    health.info(('client %d: %d buffer(s) attached'):format(client.id, vim.tbl_count(client.attached_buffers)))
  end
end

return M
