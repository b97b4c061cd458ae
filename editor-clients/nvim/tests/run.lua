-- Runs every spec in tests/spec/ (or the specs named as arguments), each in its own headless
-- Neovim against the real `refract serve`, prints their PASS/FAIL lines and exits non-zero on
-- any failure.
--
--   cd editor-clients/nvim && nvim --headless -u tests/minimal_init.lua -l tests/run.lua [spec ...]
local root = vim.g.refract_root or vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h')
local init = root .. '/tests/minimal_init.lua'
local timeout = (tonumber(vim.env.REFRACT_SPEC_TIMEOUT) or 600) * 1000

local specs = {}
for _, a in ipairs(_G.arg or {}) do
  specs[#specs + 1] = vim.fn.fnamemodify(a, ':p')
end
if #specs == 0 then
  specs = vim.fn.glob(root .. '/tests/spec/*_spec.lua', false, true)
  table.sort(specs)
end

local failed = {}
for _, spec in ipairs(specs) do
  local name = vim.fn.fnamemodify(spec, ':t:r')
  io.stdout:write(('== %s\n'):format(name))
  local function stream(_, data)
    if data then
      io.stdout:write(data)
    end
  end
  local cmd = { vim.v.progpath, '--headless', '-i', 'NONE', '-u', init, '-l', spec }
  local result = vim.system(cmd, { cwd = root, stdout = stream, stderr = stream }):wait(timeout)
  if result.code ~= 0 then
    failed[#failed + 1] = ('%s (exit %s%s)'):format(name, result.code, result.signal ~= 0 and ', timed out' or '')
  end
end

io.stdout:write(('== %d spec file(s), %d failed%s\n'):format(#specs, #failed, #failed > 0 and (': ' .. table.concat(failed, ', ')) or ''))
io.stdout:flush()
vim.cmd(#failed == 0 and 'qall!' or 'cquit 1')
