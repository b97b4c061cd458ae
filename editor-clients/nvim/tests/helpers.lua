-- A tiny test harness for the headless specs (no plenary, no network).
-- Each spec file is run in its own `nvim --headless -u tests/minimal_init.lua -l SPEC` process,
-- so the real `refract serve` starts once per spec file and is shared by its tests.
local H = {}
local api = vim.api

H.refract = require('refract')
H.timeout = tonumber(vim.env.REFRACT_TEST_WAIT) or 120000 -- ms per server round trip
H.tests = {}
H.notes = {} -- every vim.notify call: {msg = , level = }

-- `-l` sets 'verbose' to 1 so that messages (e.g. "Workspace edit …") go to stdout; keep the
-- output to the harness's own lines, written with io.stdout.
vim.o.verbose = 0
local function say(line)
  io.stdout:write(line, '\n')
  io.stdout:flush()
end
H.say = say

local real_notify = vim.notify
vim.notify = function(msg, level, opts)
  table.insert(H.notes, { msg = tostring(msg), level = level or vim.log.levels.INFO })
  if vim.env.REFRACT_TEST_VERBOSE then
    real_notify(msg, level, opts)
  end
end

--- Register a test.
function H.test(name, fn)
  table.insert(H.tests, { name = name, fn = fn })
end

function H.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(
      ('%s: expected %s, got %s'):format(what or 'values differ', vim.inspect(expected), vim.inspect(actual)),
      2
    )
  end
end

function H.ok(cond, what)
  if not cond then
    error(what or 'assertion failed', 2)
  end
  return cond
end

--- Notifications at `level` recorded since `from` (an index into H.notes).
function H.notes_since(from, level)
  local out = {}
  for i = from + 1, #H.notes do
    if level == nil or H.notes[i].level == level then
      out[#out + 1] = H.notes[i].msg
    end
  end
  return out
end

--- A fresh temporary workspace (with a patches/ folder, a root marker) and its path.
function H.workspace()
  local dir = vim.fn.tempname() .. '-refract'
  vim.fn.mkdir(dir .. '/patches', 'p')
  return vim.fn.resolve(dir)
end

H.dir = H.workspace()

--- Open NAME (in H.dir) holding `lines`, wait until the Refract client is attached and initialised.
function H.open(name, lines)
  local path = H.dir .. '/' .. name
  vim.fn.writefile(lines, path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = api.nvim_get_current_buf()
  H.attach(bufnr)
  return bufnr, path
end

--- The server's exit, if it quit: fail fast with the tail of its stderr instead of waiting.
H.exited = nil
vim.lsp.config('refract', {
  on_exit = function(code, signal)
    if code ~= 0 or signal ~= 0 then
      H.exited = ('`refract serve` exited (code %d, signal %d)'):format(code, signal)
    end
  end,
})

local function server_log_tail()
  local ok, lines = pcall(vim.fn.readfile, vim.lsp.log.get_filename())
  if not ok then
    return ''
  end
  local out = {}
  for i = math.max(1, #lines - 60), #lines do
    local chunk = lines[i]:match('"stderr"%s+(.*)$') -- a Lua string literal (vim.inspect)
    local unquote = chunk and loadstring('return ' .. chunk)
    local okq, text = pcall(unquote or error)
    if chunk then
      out[#out + 1] = okq and type(text) == 'string' and text or chunk
    end
  end
  return table.concat(out, '')
end

function H.attach(bufnr)
  H.ok(not H.exited, H.exited)
  local ok = vim.wait(H.timeout, function()
    local c = H.refract.get_client(bufnr)
    return H.exited ~= nil or (c ~= nil and c.initialized == true)
  end, 20)
  if H.exited then
    H.exited = H.exited .. '; its stderr:\n' .. server_log_tail()
    error(H.exited, 2)
  end
  H.ok(ok, 'the Refract client did not attach to buffer ' .. bufnr)
  return H.refract.get_client(bufnr)
end

function H.lines(bufnr)
  return api.nvim_buf_get_lines(bufnr or 0, 0, -1, false)
end

--- Run an Ex command (e.g. `1Refract shorten`) and wait for its `User RefractDone`; returns its data.
--- Fails the test when vim.cmd raises a Lua/Vim error.
function H.run(cmd)
  local done
  local id = api.nvim_create_autocmd('User', {
    pattern = 'RefractDone',
    once = true,
    callback = function(ev)
      done = ev.data
    end,
  })
  local ok, err = pcall(vim.cmd, cmd)
  if not ok then
    pcall(api.nvim_del_autocmd, id)
    error(('`:%s` raised an error: %s'):format(cmd, err), 2)
  end
  local finished = vim.wait(H.timeout, function()
    return done ~= nil
  end, 20)
  if not finished then
    pcall(api.nvim_del_autocmd, id)
    error(('`:%s` did not finish within %d ms'):format(cmd, H.timeout), 2)
  end
  return done
end

--- Run all registered tests, print PASS/FAIL lines, stop the server and exit (non-zero on failure).
function H.finish(spec)
  local failed = 0
  for _, t in ipairs(H.tests) do
    local started = vim.uv.hrtime()
    local ok, err = xpcall(t.fn, debug.traceback)
    local secs = (vim.uv.hrtime() - started) / 1e9
    if ok then
      say(('PASS  %s: %s (%.1f s)'):format(spec, t.name, secs))
    else
      failed = failed + 1
      say(('FAIL  %s: %s (%.1f s)\n      %s'):format(spec, t.name, secs, tostring(err):gsub('\n', '\n      ')))
    end
  end
  say(('%s: %d passed, %d failed'):format(spec, #H.tests - failed, failed))
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop()
  end
  vim.wait(5000, function()
    return #vim.lsp.get_clients() == 0
  end, 50)
  vim.fn.delete(H.dir, 'rf')
  io.stdout:flush()
  vim.cmd(failed == 0 and 'qall!' or ('cquit ' .. math.min(failed, 100)))
end

return H
