import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClientProvider } from '@tanstack/react-query';
import { newQueryClient } from './api/queries';
import { describe, expect, it } from 'vitest';
import type { Conversation, Me } from './api/types';
import { ConversationView } from './ConversationView';
import { Inbox } from './Inbox';
import { Tokens } from './Team';
import { anOrder } from './test-fixtures';
import { fakeApi, renderWithQueries } from './test-support';

const ME: Me = { name: 'Ana', role: 'agent' };
const COUNTS = {
  statuses: { open: 3, pending: 1, waiting_for_human: 0, resolved: 5, closed: 2 },
  openWork: 4,
  unassigned: 2,
  assignees: [
    { kind: 'human', name: 'Ana', count: 1 },
    { kind: 'human', name: 'Ben', count: 1 },
  ],
};
const customer = { id: 'cus_mo01', name: 'Mohammed Ali', email: 'mohammed@example.com' };
const conversation = (over: Partial<Conversation> = {}): Conversation => ({
  id: 'cnv_0001',
  customerId: customer.id,
  customer,
  customerVerified: false,
  channel: 'email',
  subject: 'Broken lamp',
  status: 'open',
  statusLabel: 'Open',
  nextStatuses: ['pending', 'resolved'],
  priority: 'high',
  assignee: null,
  tags: ['returns'],
  externalRef: null,
  orders: [],
  openHandoff: null,
  lastMessage: null,
  lastActivityAt: '2026-11-20T10:00:00.000Z',
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  messages: [],
  handoffs: [],
  ...over,
});
const quiet = {
  'GET /v1/macros': { body: { macros: [], placeholders: {} } },
  'GET /v1/tools/summary': { body: { tools: [] } },
  'GET /v1/ai': { body: { enabled: false } },
  'GET /v1/conversations/cnv_0001/ai-turns': { body: { paused: false, turns: [] } },
  'GET /v1/customers/cus_mo01': { body: { ...customer, emails: [], addresses: [], paymentMethods: [] } },
  'GET /v1/customers/cus_mo01/orders': { body: { orders: [] } },
  'GET /v1/sops': { body: { sops: [] } },
  'GET /v1/sop-runs': { body: { runs: [] } },
};

describe('the inbox list', () => {
  it('opens on open work, counts each view, shows priority and tags, and offers every colleague', async () => {
    const sent = fakeApi({
      'GET /v1/conversations': { body: { items: [conversation()], nextCursor: null } },
      'GET /v1/conversations/counts': { body: COUNTS },
      'GET /v1/ai': { body: { enabled: true } },
    });
    renderWithQueries(<Inbox me={ME} conversationId={undefined} onOpen={() => {}} />);
    expect(await screen.findByRole('option', { name: 'Open work (4)' })).toBeTruthy();
    expect(sent.find((s) => s.path.startsWith('/v1/conversations?'))?.path).toContain(
      'status=open%2Cpending%2Cwaiting_for_human',
    );
    expect(screen.getByRole('option', { name: 'Resolved (5)' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Ben (1)' })).toBeTruthy();
    const row = await screen.findByRole('link', { name: /Mohammed Ali/ });
    expect(within(row).getByText('high')).toBeTruthy();
    expect(within(row).getByText('returns')).toBeTruthy();
  });

  it('finds a customer by email and writes to them first: the new conversation is sent by email', async () => {
    const sent = fakeApi({
      'GET /v1/conversations': { body: { items: [], nextCursor: null } },
      'GET /v1/conversations/counts': { body: COUNTS },
      'GET /v1/ai': { body: { enabled: true } },
      'GET /v1/search': { body: { customers: [{ ...customer, phone: null, orderCount: 3 }], orders: [] } },
      'POST /v1/conversations': { status: 201, body: conversation({ id: 'cnv_new1' }) },
    });
    let opened = '';
    renderWithQueries(<Inbox me={ME} conversationId={undefined} onOpen={(id) => (opened = id)} />);
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'mohammed@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    const customers = await screen.findByRole('list', { name: 'Customers' });
    expect(within(customers).getByText('Mohammed Ali')).toBeTruthy();
    fireEvent.click(within(customers).getByRole('button', { name: 'New conversation' }));
    fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'Your return' } });
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hi Mohammed' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(opened).toBe('cnv_new1'));
    expect(sent.find((s) => s.method === 'POST')?.body).toMatchObject({
      customerId: customer.id,
      channel: 'email',
      subject: 'Your return',
      message: 'Hi Mohammed',
    });
  });
});

describe('a conversation', () => {
  it("lists a customer email's attachments with name and size, links each for download and previews images", async () => {
    const message = {
      id: 'msg_1',
      conversationId: 'cnv_0001',
      kind: 'inbound' as const,
      authorKind: 'customer',
      authorName: 'Mohammed Ali',
      body: 'Photos attached.',
      subject: null,
      delivery: null,
      deliveryError: null,
      sentAt: null,
      sourceEventId: null,
      createdAt: '2026-11-20T10:00:00.000Z',
      attachments: [
        { position: 0, filename: 'lamp.jpg', contentType: 'image/jpeg', size: 250_000, stored: true },
        { position: 1, filename: 'receipt.pdf', contentType: 'application/pdf', size: 900, stored: true },
        { position: 2, filename: 'video.mov', contentType: 'video/quicktime', size: 31_000_000, stored: false },
      ],
    };
    fakeApi({ ...quiet, 'GET /v1/conversations/cnv_0001': { body: conversation({ messages: [message] }) } });
    renderWithQueries(
      <ConversationView id="cnv_0001" me={ME} onChanged={() => {}} onOpen={() => {}} onNewConversation={() => {}} />,
    );
    const list = await screen.findByRole('list', { name: 'Attachments' });
    const base = '/v1/conversations/cnv_0001/messages/msg_1/attachments';
    expect(within(list).getByRole('link', { name: 'receipt.pdf' }).getAttribute('href')).toBe(`${base}/1`);
    expect(within(list).getByText('900 B')).toBeTruthy();
    expect(within(list).getByRole('link', { name: 'lamp.jpg' }).getAttribute('download')).toBe('lamp.jpg');
    expect(within(list).getByRole('img', { name: 'Preview of lamp.jpg' }).getAttribute('src')).toBe(
      `${base}/0?inline=true`,
    );
    // Only images are previewed; a file left in the mailbox is named, with no link.
    expect(within(list).getAllByRole('img')).toHaveLength(1);
    expect(within(list).queryByRole('link', { name: 'video.mov' })).toBeNull();
    expect(within(list).getByText(/29\.6 MB — too large to keep, left in the mailbox/)).toBeTruthy();
  });

  it('hides the composer when closed and offers a new conversation instead', async () => {
    fakeApi({
      ...quiet,
      'GET /v1/conversations/cnv_0001': {
        body: conversation({ status: 'closed', statusLabel: 'Closed', nextStatuses: [] }),
      },
    });
    let started: unknown = null;
    renderWithQueries(
      <ConversationView
        id="cnv_0001"
        me={ME}
        onChanged={() => {}}
        onOpen={() => {}}
        onNewConversation={(to) => (started = to)}
      />,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Start a new conversation' }));
    expect(started).toMatchObject({ customer: { id: customer.id } });
    expect(screen.queryByRole('form', { name: 'Write to the conversation' })).toBeNull();
  });

  it('answers its keyboard shortcuts: a assigns to me, e resolves, n writes a note; typed in the note they are text', async () => {
    const sent = fakeApi({
      ...quiet,
      'GET /v1/conversations/cnv_0001': { body: conversation() },
      'POST /v1/conversations/cnv_0001/assign': { body: conversation({ assignee: { kind: 'human', name: 'Ana' } }) },
      'POST /v1/conversations/cnv_0001/status': { body: conversation({ status: 'resolved', statusLabel: 'Resolved' }) },
    });
    renderWithQueries(
      <ConversationView id="cnv_0001" me={ME} onChanged={() => {}} onOpen={() => {}} onNewConversation={() => {}} />,
    );
    const reply = (await screen.findByRole('textbox', { name: 'Reply' })) as HTMLTextAreaElement;
    fireEvent.keyDown(document.body, { key: 'n' });
    const note = (await screen.findByRole('textbox', { name: 'Internal note' })) as HTMLTextAreaElement;
    expect(reply).toBe(note);
    await waitFor(() => expect(document.activeElement).toBe(note));
    fireEvent.keyDown(note, { key: 'e' });
    fireEvent.keyDown(note, { key: 'a' });
    expect(sent.filter((s) => s.method === 'POST')).toEqual([]);
    fireEvent.keyDown(document.body, { key: 'a' });
    await waitFor(() =>
      expect(sent.find((s) => s.path === '/v1/conversations/cnv_0001/assign')?.body).toEqual({ assignee: 'me' }),
    );
    await waitFor(() => expect(screen.getByRole('button', { name: 'Resolve' }).hasAttribute('disabled')).toBe(false));
    fireEvent.keyDown(document.body, { key: 'e' });
    await waitFor(() =>
      expect(sent.find((s) => s.path === '/v1/conversations/cnv_0001/status')?.body).toEqual({ status: 'resolved' }),
    );
  });

  it('asks which order before inserting a macro that names one, instead of a sentence with a hole', async () => {
    const sent = fakeApi({
      ...quiet,
      'GET /v1/macros': {
        body: { macros: [{ id: 'mac_1', name: 'Return started', body: '{{order.name}}' }], placeholders: {} },
      },
      'GET /v1/conversations/cnv_0001': { body: conversation() },
      'GET /v1/customers/cus_mo01/orders': { body: { orders: [{ ...anOrder(), id: 'ord_1004', name: '#1004' }] } },
      'POST /v1/macros/mac_1/render': (s) =>
        (s.body as { orderId?: string }).orderId
          ? { body: { body: 'About #1004: started.', missing: [] } }
          : { body: { body: 'About : started.', missing: ['order.name'] } },
    });
    renderWithQueries(
      <ConversationView id="cnv_0001" me={ME} onChanged={() => {}} onOpen={() => {}} onNewConversation={() => {}} />,
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Insert macro' }));
    await user.click(await screen.findByRole('option', { name: 'Return started' }));
    const ask = await screen.findByRole('group', { name: 'Return started needs more' });
    expect((screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement).value).toBe('');
    await within(ask).findByRole('option', { name: '#1004' });
    fireEvent.change(within(ask).getByRole('combobox'), { target: { value: 'ord_1004' } });
    await waitFor(() =>
      expect((screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement).value).toBe(
        'About #1004: started.',
      ),
    );
    expect(sent.filter((s) => s.path === '/v1/macros/mac_1/render').map((s) => s.body)).toEqual([
      { conversationId: 'cnv_0001' },
      { conversationId: 'cnv_0001', orderId: 'ord_1004' },
    ]);
  });

  it('finds a macro by part of its name: arrows mark one, Enter inserts it, Esc closes with none', async () => {
    const user = userEvent.setup();
    const sent = fakeApi({
      ...quiet,
      'GET /v1/macros': {
        body: {
          macros: [
            { id: 'mac_1', name: 'Return started', body: 'A' },
            { id: 'mac_2', name: 'Return label sent', body: 'B' },
            { id: 'mac_3', name: 'Tracking link', body: 'C' },
          ],
          placeholders: {},
        },
      },
      'GET /v1/conversations/cnv_0001': { body: conversation() },
      'POST /v1/macros/mac_2/render': { body: { body: 'Your label is on its way.', missing: [] } },
    });
    renderWithQueries(
      <ConversationView id="cnv_0001" me={ME} onChanged={() => {}} onOpen={() => {}} onNewConversation={() => {}} />,
    );
    const reply = (await screen.findByRole('textbox', { name: 'Reply' })) as HTMLTextAreaElement;
    const open = screen.getByRole('button', { name: 'Insert macro' });
    await user.click(open);
    const find = await screen.findByRole('combobox', { name: 'Find a macro' });
    await waitFor(() => expect(document.activeElement).toBe(find));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('combobox', { name: 'Find a macro' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(open));

    await user.keyboard('{Enter}');
    await user.type(await screen.findByRole('combobox', { name: 'Find a macro' }), 'return');
    const options = within(screen.getByRole('listbox', { name: 'Macros' })).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['Return started', 'Return label sent']);
    expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(['true', 'false']);
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(options[1]!.getAttribute('aria-selected')).toBe('true'));
    expect(screen.getByRole('combobox', { name: 'Find a macro' }).getAttribute('aria-activedescendant')).toBe(
      options[1]!.id,
    );
    expect(reply.value).toBe('');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(reply.value).toBe('Your label is on its way.'));
    await waitFor(() => expect(document.activeElement).toBe(reply));
    expect(sent.filter((s) => s.method === 'POST').map((s) => s.path)).toEqual(['/v1/macros/mac_2/render']);
  });

  it('moves the conversation from the Move to menu; inside the open menu the shortcut keys do nothing', async () => {
    const user = userEvent.setup();
    const sent = fakeApi({
      ...quiet,
      'GET /v1/conversations/cnv_0001': { body: conversation() },
      'POST /v1/conversations/cnv_0001/status': { body: conversation({ status: 'pending', statusLabel: 'Pending' }) },
    });
    renderWithQueries(
      <ConversationView id="cnv_0001" me={ME} onChanged={() => {}} onOpen={() => {}} onNewConversation={() => {}} />,
    );
    const move = await screen.findByRole('button', { name: 'Move to' });
    expect(move.getAttribute('aria-haspopup')).toBe('menu');
    move.focus();
    await user.keyboard('{Enter}');
    const menu = await screen.findByRole('menu');
    const items = within(menu).getAllByRole('menuitem');
    expect(items.map((i) => i.textContent)).toEqual(['Pending', 'Resolved']);
    await waitFor(() => expect(document.activeElement).toBe(items[0]));
    // e (resolve) and a (assign to me) are the menu's type-ahead here, not shortcuts.
    await user.keyboard('ea');
    expect(sent.filter((s) => s.method === 'POST')).toEqual([]);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('menu')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(move));

    await user.click(move);
    await user.click(within(await screen.findByRole('menu')).getByRole('menuitem', { name: 'Pending' }));
    await waitFor(() =>
      expect(sent.find((s) => s.path === '/v1/conversations/cnv_0001/status')?.body).toEqual({ status: 'pending' }),
    );
    expect(sent.filter((s) => s.method === 'POST')).toHaveLength(1);
  });

  it('keeps what is shown when a refresh fails, retries quietly, and says it is trying again', async () => {
    let calls = 0;
    fakeApi({
      ...quiet,
      'GET /v1/conversations/cnv_0001': () =>
        ++calls === 1
          ? { body: conversation() }
          : { status: 503, body: { error: { code: 'internal', message: 'down' } } },
    });
    const queryClient = newQueryClient();
    queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retryDelay: 0 } });
    render(
      <QueryClientProvider client={queryClient}>
        <ConversationView id="cnv_0001" me={ME} onChanged={() => {}} onOpen={() => {}} onNewConversation={() => {}} />
      </QueryClientProvider>,
    );
    expect(await screen.findByRole('heading', { name: 'Broken lamp' })).toBeTruthy();
    await queryClient.refetchQueries({ queryKey: ['/v1/conversations/{id}'] });
    expect(await screen.findByText(/Could not refresh just now/)).toBeTruthy();
    expect(calls).toBe(4); // the first read, then the refresh and its two quiet retries
    expect(screen.getByRole('heading', { name: 'Broken lamp' })).toBeTruthy();
    expect(screen.queryByText('Could not load the conversation.')).toBeNull();
  });
});

describe('API tokens in Settings', () => {
  it('shows a new token once and revokes one', async () => {
    const sent = fakeApi({
      'GET /v1/tokens': {
        body: {
          tokens: [
            {
              id: 'tok_1',
              name: 'Ben',
              role: 'agent',
              customerId: null,
              createdAt: '2026-11-01T00:00:00.000Z',
              revokedAt: null,
            },
          ],
        },
      },
      'POST /v1/tokens': {
        status: 201,
        body: { id: 'tok_2', role: 'agent', customerId: null, token: 'sdk_secret_once' },
      },
      'DELETE /v1/tokens/tok_1': { body: {} },
    });
    renderWithQueries(<Tokens />);
    fireEvent.change(await screen.findByLabelText('Who or what uses it'), { target: { value: 'Cleo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect((await screen.findByRole('alert')).textContent).toContain('sdk_secret_once');
    fireEvent.click(screen.getByRole('button', { name: 'Revoke token Ben' }));
    await waitFor(() => expect(sent.some((s) => s.method === 'DELETE' && s.path === '/v1/tokens/tok_1')).toBe(true));
    expect(sent.find((s) => s.method === 'POST')?.body).toEqual({ role: 'agent', name: 'Cleo' });
  });
});
