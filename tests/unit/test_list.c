/* SPDX-License-Identifier: MIT */
/* Tests for list.h: insertion at both ends, unlinking anywhere, emptiness, container_of. */
#include "list.h"
#include "runner.h"

struct item {
	int value;
	struct list_node node;
};

static void order_of(struct list_node *head, char *buf, size_t len)
{
	struct list_node *pos;
	size_t used = 0;
	buf[0] = '\0';
	list_for_each(pos, head)
		used += (size_t)snprintf(buf + used, len - used, "%d",
					 container_of(pos, struct item, node)->value);
}

TEST(list_push_both_ends_and_unlink)
{
	struct list_node head = LIST_INIT(head);
	struct item a = { 1, { 0 } }, b = { 2, { 0 } }, c = { 3, { 0 } };
	char buf[16];
	ASSERT(list_empty(&head));
	list_push_front(&head, &b.node);
	list_push_front(&head, &a.node);
	list_push_back(&head, &c.node);
	order_of(&head, buf, sizeof(buf));
	ASSERT_STR_EQ(buf, "123");
	list_unlink(&b.node);
	order_of(&head, buf, sizeof(buf));
	ASSERT_STR_EQ(buf, "13");
	list_unlink(&b.node); /* detached: a no-op */
	list_unlink(&a.node);
	list_unlink(&c.node);
	ASSERT(list_empty(&head));
}

TEST(list_container_of_finds_the_element)
{
	struct item it = { 42, { 0 } };
	ASSERT(container_of(&it.node, struct item, node) == &it);
	ASSERT_EQ(container_of(&it.node, struct item, node)->value, 42);
}
